import AssayCore
@testable import AssayProviders
import AssaySimulator
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// Every effort field Assay can send: its JSON, and the live simulator reading it back.
@Suite("Effort parameters")
struct EffortParameterTests {
    static func json(_ data: Data) throws -> [String: JSONValue] {
        try #require(JSONValue(parsing: String(decoding: data, as: UTF8.self))?.objectValue)
    }

    static let request = ChatRequest(model: "m", messages: [.init(role: .user, content: "2+2?")], maxTokens: 500, effort: .high)

    @Test("OpenAI-compatible: reasoning_effort, OpenRouter's reasoning object, or nothing")
    func openAI() throws {
        func encoded(_ parameter: EffortParameter?) throws -> [String: JSONValue] {
            var request = Self.request
            request.effortParameter = parameter
            let provider = OpenAICompatibleProvider(settings: ProviderSettings(name: "p", baseURL: "http://127.0.0.1:1/v1"),
                                                    client: HTTPClient.shared, logger: Fixtures.quietLogger)
            return try Self.json(try provider.encode(request))
        }
        let plain = try encoded(nil)
        #expect(plain["reasoning_effort"] == .string("high") && plain["reasoning"] == nil)
        let openRouter = try encoded(.openRouterReasoning)
        #expect(openRouter["reasoning"] == .object(["effort": .string("high")]) && openRouter["reasoning_effort"] == nil)
        var none = Self.request
        none.effort = Effort.none
        none.effortParameter = .omitted
        let provider = OpenAICompatibleProvider(settings: ProviderSettings(name: "p", baseURL: "http://127.0.0.1:1/v1"),
                                                client: HTTPClient.shared, logger: Fixtures.quietLogger)
        let omitted = try Self.json(try provider.encode(none))
        #expect(omitted["reasoning_effort"] == nil && omitted["reasoning"] == nil)
    }

    @Test("Anthropic output_config.effort replaces the thinking budget; Gemini thinkingLevel replaces thinkingBudget")
    func anthropicAndGemini() throws {
        let anthropic = try Self.json(try AnthropicDialect.encode(Self.request, parameter: .anthropicOutputConfig))
        #expect(anthropic["output_config"] == .object(["effort": .string("high")]))
        #expect(anthropic["thinking"] == nil && anthropic["max_tokens"] == .number(500))
        let gemini = try Self.json(try GeminiDialect.encode(Self.request, parameter: .geminiThinkingLevel))
        let thinking = gemini["generationConfig"]?.objectValue?["thinkingConfig"]
        #expect(thinking == .object(["thinkingLevel": .string("high")]), "never both thinkingLevel and thinkingBudget")
    }

    @Test("an effort the field cannot express, or a field of another provider type, is refused before sending")
    func refusedBeforeSending() {
        var request = Self.request
        request.effort = Effort.none
        let anthropic = ProviderSettings(name: "a", kind: .anthropic, baseURL: "http://x/v1", effortParameter: .anthropicOutputConfig)
        #expect(throws: ProviderError.self) { try anthropic.effortParameter(for: request) }
        request.effort = .high
        request.effortParameter = .geminiThinkingLevel
        #expect(throws: ProviderError.self) { try anthropic.effortParameter(for: request) }
        #expect(EffortParameter.geminiThinkingLevel.expressibleEfforts == [.minimal, .low, .medium, .high])
        #expect(EffortParameter.omitted.expressibleEfforts == [.none])
    }

    @Test("the simulator reads each field back as the same effort: the same reasoning tokens as the default field")
    func liveRoundTrip() async throws {
        try await Fixtures.withLiveSimulator { port in
            try await Fixtures.withClient { client in
                func reasoning(_ kind: ProviderSettings.Kind, _ parameter: EffortParameter) async throws -> Int {
                    let base = kind == .gemini ? "http://127.0.0.1:\(port)/v1beta" : "http://127.0.0.1:\(port)/v1"
                    let provider = ProviderSettings(name: "sim", kind: kind, baseURL: base, timeoutSeconds: 60, effortParameter: parameter)
                        .adapter(client: client, logger: Fixtures.quietLogger)
                    let request = ChatRequest(model: "condor", messages: [.init(role: .user, content: "Plan a three-step proof.")],
                                              maxTokens: 40_000, effort: .high, seed: 0)
                    return try await provider.complete(request).usage.reasoningTokens
                }
                let openAI = try await reasoning(.openai, .reasoningEffort)
                #expect(openAI > 0)
                #expect(try await reasoning(.openai, .openRouterReasoning) == openAI)
                #expect(try await reasoning(.anthropic, .anthropicOutputConfig) > 0)
                #expect(try await reasoning(.gemini, .geminiThinkingLevel) == openAI)
            }
        }
    }
}
