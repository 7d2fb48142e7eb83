import AssayCore
@testable import AssayProviders
import Foundation
import Testing

/// Answers as the APIs document them (Golden/responses), read into neutral answers with usage
/// normalised to Assay's one meaning: input includes cache reads and writes, output includes
/// reasoning.
@Suite("Response decoding")
struct ResponseDecodingTests {
    @Test("OpenAI: cached tokens are part of prompt_tokens, reasoning part of completion_tokens")
    func openAI() throws {
        let answer = try OpenAIDialect.answer(from: try Golden.bytes("responses/openai-completion.json"), latencyMs: 5, attempts: 2)
        #expect(answer.text == "2 + 2 = 4." && answer.finishReason == "stop" && answer.model == "gpt-5-mini-2025-08-07")
        #expect(answer.usage == Usage(inputTokens: 1_117, cachedInputTokens: 1_024, outputTokens: 246, reasoningTokens: 192))
        #expect(answer.latencyMs == 5 && answer.attempts == 2)

        let calls = try OpenAIDialect.answer(from: try Golden.bytes("responses/openai-tool-calls.json"), latencyMs: 1, attempts: 1)
        #expect(calls.text.isEmpty && calls.finishReason == "tool_calls")
        #expect(calls.toolCalls == [ToolCall(id: "call_abc123", name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        #expect(calls.usage == Usage(inputTokens: 82, outputTokens: 17))
    }

    @Test("Anthropic: cache reads and writes join input; thinking is output beyond the visible text; thinking blocks are not text")
    func anthropic() throws {
        let answer = try AnthropicDialect.answer(from: try Golden.bytes("responses/anthropic-message.json"), latencyMs: 1, attempts: 1)
        #expect(answer.text == "Let me check." && answer.finishReason == "tool_use")
        #expect(answer.toolCalls == [ToolCall(id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        // "Let me check." is 13 bytes: 4 visible tokens, so 499 of the 503 output tokens were thinking.
        #expect(answer.usage == Usage(inputTokens: 3_195, cachedInputTokens: 1_000, cacheWriteTokens: 100, outputTokens: 503,
                                      reasoningTokens: 499))
    }

    @Test("Gemini: promptTokenCount already holds the cache; thoughts are added to output; thought parts are not text")
    func gemini() throws {
        let answer = try GeminiDialect.answer(from: try Golden.bytes("responses/gemini-generate.json"), latencyMs: 1, attempts: 1)
        #expect(answer.text == "Checking the weather." && answer.finishReason == "STOP" && answer.model == "gemini-2.5-flash")
        #expect(answer.usage == Usage(inputTokens: 1_200, cachedInputTokens: 1_000, outputTokens: 330, reasoningTokens: 300))
        let call = try #require(answer.toolCalls.first)
        #expect(call.name == "get_weather" && call.arguments == #"{"city":"Paris"}"# && call.thoughtSignature == "CiQBVKhc7oGm")
        #expect(call.id.hasPrefix("call_"), "Gemini gives calls no id: one is derived from the response")
    }

    @Test("model lists: ids, creation dates, context windows; Gemini's models/ prefix dropped")
    func modelLists() throws {
        #expect(try OpenAIDialect.listedModels(from: try Golden.bytes("responses/openai-models.json")).map(\.id) == ["gpt-4o", "o3-mini"])
        let claude = try #require(try AnthropicDialect.listedModels(from: try Golden.bytes("responses/anthropic-models.json")).first)
        #expect(claude.id == "claude-sonnet-4-5-20250929" && claude.created == Date(timeIntervalSince1970: 1_759_104_000))
        let gemini = try #require(try GeminiDialect.listedModels(from: try Golden.bytes("responses/gemini-models.json")).first)
        #expect(gemini.id == "gemini-2.5-flash" && gemini.contextWindow == 1_048_576)
    }

    @Test("a body that is not the dialect's answer is a malformed response", arguments: ProviderSettings.Kind.allCases)
    func malformed(kind: ProviderSettings.Kind) {
        #expect(throws: ProviderError.self) { try kind.dialect.answer(from: Array(#"{"error":"nope"}"#.utf8), latencyMs: 1, attempts: 1) }
        do {
            _ = try kind.dialect.answer(from: Array("not json".utf8), latencyMs: 1, attempts: 1)
            Issue.record("text that is not JSON was read as an answer")
        } catch {
            #expect(error.kind == .malformedResponse)
        }
    }
}
