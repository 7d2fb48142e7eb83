import AssayCore
@testable import AssayProviders
import AssaySimulator
import AssaySuites
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// The Gemini generateContent adapter: its request encoding, and against the live simulator.
@Suite("Gemini adapter")
struct GeminiAdapterTests {
    static func provider(port: Int, client: HTTPClient, environment: [String: String] = [:], apiKeyEnv: String? = nil) -> GeminiProvider {
        GeminiProvider(
            settings: ProviderSettings(name: "gemini-sim", kind: .gemini, baseURL: "http://127.0.0.1:\(port)/v1beta",
                                       apiKeyEnv: apiKeyEnv, timeoutSeconds: 60, retry: RetryPolicy(maxAttempts: 1)),
            client: client, logger: Fixtures.quietLogger, environment: environment)
    }

    @Test("effort maps to a thinking budget (never a level too); system goes to systemInstruction")
    func encoding() throws {
        let request = ChatRequest(model: "m", messages: [.init(role: .system, content: "Be brief."), .init(role: .user, content: "2+2?"),
                                                         .init(role: .assistant, content: "4"), .init(role: .user, content: "and 3+3?")],
                                  maxTokens: 500, effort: .high, seed: 3)
        let json = try #require(JSONValue(parsing: String(decoding: try GeminiDialect.encode(request), as: UTF8.self))?.objectValue)
        #expect(json["systemInstruction"]?.objectValue?["parts"]?.arrayValue?.first?.objectValue?["text"] == .string("Be brief."))
        #expect(json["contents"]?.arrayValue?.compactMap { $0.objectValue?["role"]?.stringValue } == ["user", "model", "user"])
        let config = try #require(json["generationConfig"]?.objectValue)
        #expect(config["thinkingConfig"] == .object(["thinkingBudget": .number(24_576)]))
        #expect(config["maxOutputTokens"] == .number(500) && config["seed"] == .number(3))
        #expect(EffortMapping.geminiThinkingBudget(.none) == 0)
        #expect(EffortMapping.effort(forGeminiBudget: 24_576) == .high)
    }

    @Test("usage: prompt includes cached; thoughts are counted apart but billed as output")
    func usage() {
        let usage = GeminiDialect.normalise(.init(promptTokenCount: 1_000, candidatesTokenCount: 50, thoughtsTokenCount: 700,
                                                   cachedContentTokenCount: 600, totalTokenCount: 1_750))
        #expect(usage == Usage(inputTokens: 1_000, cachedInputTokens: 600, outputTokens: 750, reasoningTokens: 700))
    }

    @Test("a completion from the live simulator, graded, with thoughts as reasoning; a bad key is an auth error")
    func liveCompletion() async throws {
        let suite = try #require(try Fixtures.shippedSuites().first { $0.task == "reasoning" })
        let item = suite.items[1]
        try await Fixtures.withLiveSimulator(apiKey: "gemini-key") { port in
            try await Fixtures.withClient { client in
                let provider = Self.provider(port: port, client: client, environment: ["GEMINI_KEY": "gemini-key"], apiKeyEnv: "GEMINI_KEY")
                let response = try await provider.complete(ChatRequest(
                    model: "condor-max", messages: [.init(role: .system, content: suite.system!), .init(role: .user, content: item.renderedPrompt)],
                    maxTokens: 30_000, effort: .high, seed: 0))
                #expect(suite.grader.grade(response.text, item: item).passed, "\(response.text)")
                #expect(response.usage.reasoningTokens > 1_000)
                #expect(response.finishReason == "STOP")
                #expect(try await provider.listModels().contains("finch-mini"))
                let wrongKey = Self.provider(port: port, client: client, environment: ["GEMINI_KEY": "nope"], apiKeyEnv: "GEMINI_KEY")
                let auth = await Fixtures.providerError { () async throws(ProviderError) in
                    _ = try await wrongKey.complete(ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "hi")]))
                }
                #expect(auth?.kind == .auth && auth?.message.contains("nope") == false)
            }
        }
    }
}
