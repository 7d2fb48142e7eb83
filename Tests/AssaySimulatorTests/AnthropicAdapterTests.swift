import AssayCore
@testable import AssayProviders
import AssaySimulator
import AssaySuites
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// The Anthropic Messages adapter: its request encoding, and against the live simulator.
@Suite("Anthropic adapter")
struct AnthropicAdapterTests {
    static func provider(port: Int, client: HTTPClient, environment: [String: String] = [:], apiKeyEnv: String? = nil) -> AnthropicProvider {
        AnthropicProvider(
            settings: ProviderSettings(name: "anthropic-sim", kind: .anthropic, baseURL: "http://127.0.0.1:\(port)/v1",
                                       apiKeyEnv: apiKeyEnv, timeoutSeconds: 60, retry: RetryPolicy(maxAttempts: 1)),
            client: client, logger: Fixtures.quietLogger, environment: environment)
    }

    @Test("effort maps to thinking budgets; max_tokens leaves room; system moves out of messages")
    func encoding() throws {
        let request = ChatRequest(model: "m", messages: [.init(role: .system, content: "Be brief."), .init(role: .user, content: "2+2?")],
                                  maxTokens: 1_000, effort: .medium, temperature: 0)
        let json = try #require(JSONValue(parsing: String(decoding: try AnthropicDialect.encode(request), as: UTF8.self))?.objectValue)
        #expect(json["system"] == .string("Be brief."))
        #expect(json["messages"]?.arrayValue?.count == 1)
        #expect(json["thinking"] == .object(["type": .string("enabled"), "budget_tokens": .number(8_192)]))
        #expect(json["max_tokens"] == .number(9_216), "max_tokens must exceed the thinking budget")
        #expect(json["temperature"] == nil, "thinking requires the default temperature")
        var none = request
        none.effort = Effort.none
        let plain = try #require(JSONValue(parsing: String(decoding: try AnthropicDialect.encode(none), as: UTF8.self))?.objectValue)
        #expect(plain["thinking"] == .object(["type": .string("disabled")]))
        #expect(plain["max_tokens"] == .number(1_000) && plain["temperature"] == .number(0))
        #expect(EffortMapping.effort(forAnthropicBudget: 8_192) == .medium)
        #expect(EffortMapping.effort(forAnthropicBudget: 10_000) == .medium)
        #expect(EffortMapping.effort(forAnthropicBudget: nil) == .none)
    }

    @Test("usage: cache reads and writes join input; reasoning is output beyond the visible answer")
    func usage() {
        let usage = AnthropicDialect.normalise(.init(inputTokens: 100, outputTokens: 500, cacheCreationInputTokens: 20, cacheReadInputTokens: 300),
                                                visibleText: String(repeating: "a", count: 400))
        #expect(usage == Usage(inputTokens: 420, cachedInputTokens: 300, cacheWriteTokens: 20, outputTokens: 500, reasoningTokens: 400))
    }

    @Test("a completion from the live simulator, graded, with thinking tokens counted")
    func liveCompletion() async throws {
        let suite = try #require(try Fixtures.shippedSuites().first { $0.task == "math" })
        let item = suite.items[2]
        try await Fixtures.withLiveSimulator(apiKey: "sk-ant-test") { port in
            try await Fixtures.withClient { client in
                let provider = Self.provider(port: port, client: client, environment: ["ANT_KEY": "sk-ant-test"], apiKeyEnv: "ANT_KEY")
                let response = try await provider.complete(ChatRequest(
                    model: "condor-max", messages: [.init(role: .system, content: suite.system!), .init(role: .user, content: item.renderedPrompt)],
                    maxTokens: 4_000, effort: .high))
                #expect(suite.grader.grade(response.text, item: item).passed, "\(response.text)")
                #expect(response.usage.reasoningTokens > 1_000)
                #expect(response.finishReason == "end_turn")
                #expect(try await provider.listModels().contains("pebble-1"))

                let wrongKey = Self.provider(port: port, client: client, environment: ["ANT_KEY": "nope"], apiKeyEnv: "ANT_KEY")
                let auth = await Fixtures.providerError { () async throws(ProviderError) in _ = try await wrongKey.complete(ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "hi")])) }
                #expect(auth?.kind == .auth)
                // pebble-1 has no xhigh effort: the simulator refuses the 32,768-token budget.
                let unsupported = await Fixtures.providerError { () async throws(ProviderError) in
                    _ = try await provider.complete(ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "hi")], effort: .xhigh))
                }
                #expect(unsupported?.kind == .badRequest && unsupported?.statusCode == 400)
            }
        }
    }
}
