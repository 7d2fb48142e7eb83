import AssayCore
@testable import AssayProviders
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// Tools, tool calls, tool results and stop sequences through each adapter's encoding and
/// decoding (no I/O): what one format says reaches the others intact.
@Suite("Tool translation")
struct ToolTranslationTests {
    static let weather = ChatTool(name: "get_weather", description: "Current weather for a city",
                                  parameters: .object(["type": .string("object"), "properties": .object(["city": .object(["type": .string("string")])]),
                                                       "required": .array([.string("city")])]))
    static let call = ToolCall(id: "call_7", name: "get_weather", arguments: #"{"city":"Paris"}"#)

    /// A conversation with every kind of turn: system, user, an assistant's tool call, its result.
    static var request: ChatRequest {
        var request = ChatRequest(model: "m", messages: [
            .init(role: .system, content: "Use tools."),
            .init(role: .user, content: "What is the weather in Paris?"),
            .init(role: .assistant, content: "", toolCalls: [call]),
            .init(role: .tool, content: "18 degrees and sunny", toolCallID: "call_7"),
        ], maxTokens: 500)
        request.tools = [weather]
        request.toolChoice = .tool("get_weather")
        request.stop = ["END", "\n\n"]
        return request
    }

    static func object(_ data: Data) throws -> [String: JSONValue] {
        try #require(JSONValue(parsing: String(decoding: data, as: UTF8.self))?.objectValue)
    }

    @Test("OpenAI: tools, tool_choice, stop, assistant tool_calls and tool messages, both ways")
    func openAI() throws {
        let provider = OpenAICompatibleProvider(settings: ProviderSettings(name: "o", kind: .openai, baseURL: "http://x/v1"),
                                                client: .shared, logger: Fixtures.quietLogger)
        let data = try provider.encode(Self.request)
        let json = try Self.object(data)
        let tool = try #require(json["tools"]?.arrayValue?.first?.objectValue)
        #expect(tool["type"] == .string("function") && tool["function"]?.objectValue?["parameters"] == Self.weather.parameters)
        #expect(json["tool_choice"] == .object(["type": .string("function"), "function": .object(["name": .string("get_weather")])]))
        #expect(json["stop"] == .array([.string("END"), .string("\n\n")]))
        let messages = try #require(json["messages"]?.arrayValue)
        #expect(messages[2].objectValue?["content"] == .null)
        #expect(messages[2].objectValue?["tool_calls"]?.arrayValue?.first?.objectValue?["function"]?.objectValue?["arguments"] == .string(#"{"city":"Paris"}"#))
        #expect(messages[3].objectValue?["role"] == .string("tool") && messages[3].objectValue?["tool_call_id"] == .string("call_7"))
        let back = try JSONDecoder().decode(OpenAIWire.Request.self, from: data)
        #expect(back.messages == Self.request.messages)
        #expect(back.tools?.map(\.neutral) == [Self.weather] && back.toolChoice?.choice == .tool("get_weather"))
        #expect(back.stop?.sequences == ["END", "\n\n"])
        // A single string stop and list-valued content parse too.
        let loose = try JSONDecoder().decode(OpenAIWire.Request.self, from: Data(#"{"model":"m","stop":"X","tool_choice":"required","messages":[{"role":"developer","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}"#.utf8))
        #expect(loose.stop?.sequences == ["X"] && loose.toolChoice?.choice == .required && loose.messages == [.init(role: .system, content: "ab")])

        let answer = try OpenAIDialect.answer(from: Array(#"{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_7","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}"#.utf8), latencyMs: 1, attempts: 1)
        #expect(answer.toolCalls == [Self.call] && answer.text.isEmpty && answer.finishReason == "tool_calls")
    }

    @Test("Anthropic: input_schema, tool_choice, stop_sequences, tool_use and tool_result blocks, both ways")
    func anthropic() throws {
        let data = try AnthropicDialect.encode(Self.request)
        let json = try Self.object(data)
        #expect(json["tools"]?.arrayValue?.first?.objectValue?["input_schema"] == Self.weather.parameters)
        #expect(json["tool_choice"] == .object(["type": .string("tool"), "name": .string("get_weather")]))
        #expect(json["stop_sequences"] == .array([.string("END"), .string("\n\n")]))
        #expect(json["system"] == .string("Use tools."))
        let messages = try #require(json["messages"]?.arrayValue)
        #expect(messages.count == 3)
        let use = try #require(messages[1].objectValue?["content"]?.arrayValue?.first?.objectValue)
        #expect(use["type"] == .string("tool_use") && use["id"] == .string("call_7") && use["input"] == .object(["city": .string("Paris")]))
        let result = try #require(messages[2].objectValue?["content"]?.arrayValue?.first?.objectValue)
        #expect(messages[2].objectValue?["role"] == .string("user"))
        #expect(result["type"] == .string("tool_result") && result["tool_use_id"] == .string("call_7") && result["content"] == .string("18 degrees and sunny"))
        let back = try JSONDecoder().decode(AnthropicWire.Request.self, from: data)
        #expect(AnthropicWire.neutral(back.messages) == Array(Self.request.messages.dropFirst()))
        #expect(back.tools?.map(\.neutral) == [Self.weather] && back.toolChoice?.neutral == .tool("get_weather"))

        let answer = try AnthropicDialect.answer(from: Array(#"{"id":"m1","type":"message","role":"assistant","model":"c","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}"#.utf8), latencyMs: 1, attempts: 1)
        #expect(answer.text == "Let me check." && answer.toolCalls == [ToolCall(id: "toolu_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        let stopped = try AnthropicDialect.answer(from: Array(#"{"id":"m1","type":"message","role":"assistant","model":"c","content":[{"type":"text","text":"a"}],"stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":10,"output_tokens":5}}"#.utf8), latencyMs: 1, attempts: 1)
        #expect(stopped.stopSequence == "END" && stopped.finishReason == "stop_sequence")
    }

    @Test("Gemini: functionDeclarations, toolConfig, stopSequences, functionCall and named functionResponse, both ways")
    func gemini() throws {
        let data = try GeminiDialect.encode(Self.request)
        let json = try Self.object(data)
        let declaration = try #require(json["tools"]?.arrayValue?.first?.objectValue?["functionDeclarations"]?.arrayValue?.first?.objectValue)
        #expect(declaration["name"] == .string("get_weather") && declaration["parametersJsonSchema"] == Self.weather.parameters)
        #expect(json["toolConfig"] == .object(["functionCallingConfig": .object(["mode": .string("ANY"), "allowedFunctionNames": .array([.string("get_weather")])])]))
        #expect(json["generationConfig"]?.objectValue?["stopSequences"] == .array([.string("END"), .string("\n\n")]))
        let contents = try #require(json["contents"]?.arrayValue)
        #expect(contents[1].objectValue?["parts"]?.arrayValue?.first?.objectValue?["functionCall"]?.objectValue?["args"] == .object(["city": .string("Paris")]))
        let response = try #require(contents[2].objectValue?["parts"]?.arrayValue?.first?.objectValue?["functionResponse"]?.objectValue)
        #expect(response["name"] == .string("get_weather"), "Gemini matches a result to its call by name")
        #expect(response["response"] == .object(["content": .string("18 degrees and sunny")]))
        let back = try JSONDecoder().decode(GeminiWire.Request.self, from: data)
        #expect(GeminiWire.neutral(back.contents) == Array(Self.request.messages.dropFirst()))

        // Gemini's calls usually carry no id: the adapter makes one up.
        let answer = try GeminiDialect.answer(from: Array(#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP"}]}"#.utf8), latencyMs: 1, attempts: 1)
        let call = try #require(answer.toolCalls.first)
        #expect(answer.toolCalls.count == 1 && call.id.hasPrefix("call_") && call.name == "get_weather" && call.arguments == #"{"city":"Paris"}"#)
    }

    @Test("stream decoders hand on text and tool call pieces and assemble the calls", arguments: [
        ("openai", [#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}"#,
                    #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_7","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#,
                    #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}"#,
                    #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}"#,
                    #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
                    "[DONE]"]),
        ("anthropic", [#"{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"c","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}"#,
                       #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
                       #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
                       #"{"type":"content_block_stop","index":0}"#,
                       #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_7","name":"get_weather","input":{}}}"#,
                       #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}"#,
                       #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}"#,
                       #"{"type":"content_block_stop","index":1}"#,
                       #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"#,
                       #"{"type":"message_stop"}"#]),
    ])
    func streamDecoders(format: String, payloads: [String]) throws {
        var deltas: [ChatDelta] = []
        let answer: StreamedAnswer
        if format == "openai" {
            var decoder = OpenAIStreamDecoder()
            for payload in payloads { deltas += try decoder.consume(payload) { 5 } }
            answer = try decoder.finish(partial: false)
        } else {
            var decoder = AnthropicStreamDecoder()
            for payload in payloads { deltas += try decoder.consume(payload) { 5 } }
            answer = try decoder.finish(partial: false)
        }
        // Anthropic's message_start said the input tokens: they go on just before the first piece.
        let usage: [ChatDelta] = format == "anthropic" ? [.usage(Usage(inputTokens: 3))] : []
        #expect(deltas == usage + [.text("Hi"), .toolCallStart(index: 0, id: "call_7", name: "get_weather"),
                                   .toolCallArguments(index: 0, fragment: #"{"city":"#), .toolCallArguments(index: 0, fragment: #""Paris"}"#)])
        #expect(answer.text == "Hi" && answer.toolCalls == [Self.call] && answer.ttftMs == 5)
    }
}
