import AssayCore
@testable import AssayProviders
@testable import AssayServer
import Foundation
import Testing

/// What `assay serve` writes back to clients: OpenAI's `content: null`, finish and stop
/// reasons for refusals, failed tool results, and the input tokens in Anthropic's `message_start`.
extension ToolTranslationTests {
    /// The JSON objects of an event stream's `data:` lines.
    static func events(_ text: String) -> [[String: JSONValue]] {
        text.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.compactMap { JSONValue(parsing: String($0.dropFirst(6)))?.objectValue }
    }

    static func delta(_ chunk: [String: JSONValue]) -> [String: JSONValue]? {
        chunk["choices"]?.arrayValue?.first?.objectValue?["delta"]?.objectValue
    }

    @Test("an assistant message with only tool calls says content: null, plain and in the first streamed delta")
    func nullContent() throws {
        let message = OpenAIWire.Response.Message(role: "assistant", content: nil, toolCalls: [.init(Self.call)])
        let plain = try #require(JSONValue(parsing: String(decoding: try JSONEncoder().encode(message), as: UTF8.self))?.objectValue)
        #expect(plain.keys.contains("content") && plain["content"] == .null)

        var writer = OpenAIStreamWriter(model: "m", includeUsage: false)
        let first = try #require(Self.events(writer.piece(.toolCallStart(index: 0, id: "call_7", name: "get_weather"))).first.flatMap(Self.delta))
        #expect(first["role"] == .string("assistant") && first.keys.contains("content") && first["content"] == .null)
        #expect(first["tool_calls"]?.arrayValue?.first?.objectValue?["id"] == .string("call_7"))
        let next = try #require(Self.events(writer.piece(.toolCallArguments(index: 0, fragment: "{}"))).first.flatMap(Self.delta))
        #expect(next["role"] == nil && !next.keys.contains("content"))

        var text = OpenAIStreamWriter(model: "m", includeUsage: false)
        #expect(text.piece(.usage(Usage(inputTokens: 5))).isEmpty, "chat completions carry usage only at the end")
        let chunks = Self.events(text.piece(.text("Hi"))).compactMap(Self.delta)
        #expect(chunks.count == 2 && chunks[0]["role"] == .string("assistant") && chunks[0]["content"] == .string("") && chunks[1]["content"] == .string("Hi"))
        var emptyWriter = OpenAIStreamWriter(model: "m", includeUsage: false)
        let empty = Self.events(emptyWriter.finish(.init(text: "", usage: .zero, finishReason: "stop", model: nil, latencyMs: 1, attempts: 1)))
        #expect(empty.first.flatMap(Self.delta)?["role"] == .string("assistant"), "an empty answer still sends the role")
    }

    @Test("refusals and safety blocks are content_filter for OpenAI clients and refusal for Anthropic ones", arguments: [
        ("refusal", "content_filter", "refusal"), ("SAFETY", "content_filter", "refusal"), ("RECITATION", "content_filter", "refusal"),
        ("PROHIBITED_CONTENT", "content_filter", "refusal"), ("content_filter", "content_filter", "refusal"),
        ("STOP", "stop", "end_turn"), ("MAX_TOKENS", "length", "max_tokens"),
    ])
    func refusals(upstream: String, openAI: String, anthropic: String) {
        let answer = ChatResponse(text: "", usage: .zero, finishReason: upstream, model: nil, latencyMs: 1, attempts: 1)
        #expect(OpenAIResponses.finish(answer) == openAI)
        #expect(AnthropicResponses.stopReason(answer).0 == anthropic)
    }

    @Test("is_error crosses Anthropic's format both ways; OpenAI has no field for it")
    func failedToolResults() throws {
        let failed = ChatRequest.Message(role: .tool, content: "city not found", toolCallID: "call_7", isError: true)
        let turns = AnthropicWire.messages([.init(role: .user, content: "q"), .init(role: .assistant, content: "", toolCalls: [Self.call]), failed])
        let data = try JSONEncoder().encode(turns)
        let block = try #require(JSONValue(parsing: String(decoding: data, as: UTF8.self))?.arrayValue?[2].objectValue?["content"]?.arrayValue?.first?.objectValue)
        #expect(block["is_error"] == .bool(true) && block["content"] == .string("city not found"))
        #expect(AnthropicWire.neutral(try JSONDecoder().decode([AnthropicWire.Message].self, from: data))[2] == failed)
        let ok = AnthropicWire.messages([.init(role: .tool, content: "18", toolCallID: "call_7")])
        #expect(ok[0].content[0].isError == nil, "is_error is sent only when true")

        let openAI = try #require(JSONValue(parsing: String(decoding: try JSONEncoder().encode(failed), as: UTF8.self))?.objectValue)
        #expect(openAI.keys.sorted() == ["content", "role", "tool_call_id"] && openAI["content"] == .string("city not found"))
    }

    @Test("Anthropic message_start carries the input tokens an Anthropic upstream said before the answer, else 0")
    func messageStartUsage() throws {
        var writer = AnthropicStreamWriter(model: "m")
        #expect(writer.piece(.usage(Usage(inputTokens: 40, cachedInputTokens: 10))).isEmpty)
        let out = writer.piece(.text("Hi"))
        let start = try #require(Self.events(out).first)
        #expect(start["type"] == .string("message_start"))
        let usage = try #require(start["message"]?.objectValue?["usage"]?.objectValue)
        #expect(usage["input_tokens"] == .number(30) && usage["cache_read_input_tokens"] == .number(10))
        #expect(Self.events(out).dropFirst().first?["type"] == .string("content_block_start"))

        var other = AnthropicStreamWriter(model: "m")
        let plain = try #require(Self.events(other.piece(.text("Hi"))).first)
        #expect(plain["message"]?.objectValue?["usage"]?.objectValue?["input_tokens"] == .number(0))
        let end = Self.events(other.finish(.init(text: "Hi", usage: Usage(inputTokens: 12, outputTokens: 3), finishReason: "stop", model: nil,
                                                 latencyMs: 1, attempts: 1)))
        #expect(end.first { $0["type"] == .string("message_delta") }?["usage"]?.objectValue?["input_tokens"] == .number(12), "the real count comes at the end")
    }

    @Test("a Gemini upstream's input tokens, repeated on every event, reach Anthropic's message_start before the answer")
    func geminiInputTokens() throws {
        var decoder = GeminiStreamDecoder()
        var deltas: [ChatDelta] = []
        for payload in [#"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]}}],"usageMetadata":{"promptTokenCount":40,"cachedContentTokenCount":10,"totalTokenCount":40}}"#,
                        #"{"candidates":[{"content":{"role":"model","parts":[{"text":" there"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":40,"cachedContentTokenCount":10,"candidatesTokenCount":2,"totalTokenCount":42}}"#] {
            deltas += try decoder.consume(payload) { 5 }
        }
        #expect(deltas == [.usage(Usage(inputTokens: 40, cachedInputTokens: 10)), .text("Hi"), .text(" there")], "announced once, before the first piece")
        #expect(try decoder.finish(partial: false).usage == Usage(inputTokens: 40, cachedInputTokens: 10, outputTokens: 2))

        var writer = AnthropicStreamWriter(model: "m")
        let out = deltas.map { writer.piece($0) }.joined()
        let usage = try #require(Self.events(out).first?["message"]?.objectValue?["usage"]?.objectValue)
        #expect(usage["input_tokens"] == .number(30) && usage["cache_read_input_tokens"] == .number(10))
    }
}
