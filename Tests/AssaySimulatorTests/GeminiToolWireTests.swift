import AssayCore
@testable import AssayProviders
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Gemini's function calling details: schemas in `parametersJsonSchema`, thought signatures
/// carried through history, call ids unique across a conversation, failed tool results.
extension GeminiAdapterTests {
    static let weather = ToolTranslationTests.weather

    static func object(_ data: Data) throws -> [String: JSONValue] {
        try #require(JSONValue(parsing: String(decoding: data, as: UTF8.self))?.objectValue)
    }

    static func functionCallParts(_ request: ChatRequest) throws -> [[String: JSONValue]] {
        let contents = try #require(try object(try GeminiDialect.encode(request))["contents"]?.arrayValue)
        return contents.flatMap { $0.objectValue?["parts"]?.arrayValue ?? [] }.compactMap(\.objectValue).filter { $0["functionCall"] != nil }
    }

    @Test("tool schemas go in parametersJsonSchema, never parameters; either is read")
    func parametersJsonSchema() throws {
        var request = ChatRequest(model: "m", messages: [.init(role: .user, content: "weather?")])
        request.tools = [Self.weather]
        let declaration = try #require(try Self.object(try GeminiDialect.encode(request))["tools"]?.arrayValue?.first?.objectValue?["functionDeclarations"]?
            .arrayValue?.first?.objectValue)
        #expect(declaration["parametersJsonSchema"] == Self.weather.parameters)
        #expect(declaration["parameters"] == nil, "the two are mutually exclusive")
        let old = try JSONDecoder().decode(GeminiWire.FunctionDeclaration.self, from: Data(#"{"name":"f","parameters":{"type":"object"}}"#.utf8))
        #expect(old.neutral.parameters == .object(["type": .string("object")]))
    }

    @Test("a call's thought signature is read, kept in the neutral call and sent back; unsigned calls get Google's dummy")
    func thoughtSignatures() throws {
        let answer = try GeminiDialect.answer(from: Array(#"""
            {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2lnLTE="},
             {"functionCall":{"name":"get_weather","args":{"city":"Oslo"}}}]},"finishReason":"STOP"}],"responseId":"r1"}
            """#.utf8), latencyMs: 1, attempts: 1)
        #expect(answer.toolCalls.map(\.thoughtSignature) == ["c2lnLTE=", nil])

        var request = ChatRequest(model: "m", messages: [.init(role: .user, content: "weather?"), .init(role: .assistant, content: "", toolCalls: answer.toolCalls)])
        #expect(try Self.functionCallParts(request).map { $0["thoughtSignature"] } == [.string("c2lnLTE="), nil], "sent back as received")

        // Calls from another provider (or through a format without the field) carry none.
        request.messages[1].toolCalls = [ToolCall(id: "toolu_1", name: "get_weather", arguments: "{}"), ToolCall(id: "toolu_2", name: "get_weather", arguments: "{}")]
        #expect(try Self.functionCallParts(request).map { $0["thoughtSignature"] } == [.string("skip_thought_signature_validator"), nil])

        // Read back, real signatures stay and the dummy is none again.
        let back = try JSONDecoder().decode(GeminiWire.Request.self, from: try GeminiDialect.encode(request))
        #expect(GeminiWire.neutral(back.contents)[1].toolCalls.map(\.thoughtSignature) == [nil, nil])
        request.messages[1].toolCalls = answer.toolCalls
        let signed = try JSONDecoder().decode(GeminiWire.Request.self, from: try GeminiDialect.encode(request))
        #expect(GeminiWire.neutral(signed.contents)[1].toolCalls.map(\.thoughtSignature) == ["c2lnLTE=", nil])
        // Other formats ignore the field.
        let anthropic = try Self.object(try AnthropicDialect.encode(.init(model: "m", messages: [.init(role: .user, content: "q"),
                                                                                                 .init(role: .assistant, content: "", toolCalls: answer.toolCalls)])))
        #expect(anthropic["messages"]?.arrayValue?[1].objectValue?["content"]?.arrayValue?.first?.objectValue?.keys.sorted() == ["id", "input", "name", "type"])
    }

    @Test("generated call ids differ from response to response, and plain and streamed answers agree")
    func callIDs() throws {
        func body(_ responseID: String) -> String {
            #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP"}],"responseId":"\#(responseID)"}"#
        }
        let first = try GeminiDialect.answer(from: Array(body("r1").utf8), latencyMs: 1, attempts: 1).toolCalls
        let second = try GeminiDialect.answer(from: Array(body("r2").utf8), latencyMs: 1, attempts: 1).toolCalls
        #expect(first.count == 1 && second.count == 1)
        #expect(first[0].id.hasPrefix("call_") && first[0].id != second[0].id, "the same call in two turns gets two ids")
        var decoder = GeminiStreamDecoder()
        _ = try decoder.consume(body("r1")) { 1 }
        #expect(try decoder.finish(partial: false).toolCalls == first)
    }

    @Test("a failed tool result is Gemini's error key, read back as failed")
    func failedResult() throws {
        let call = ToolCall(id: "call_1", name: "get_weather", arguments: "{}")
        let request = ChatRequest(model: "m", messages: [.init(role: .user, content: "weather?"), .init(role: .assistant, content: "", toolCalls: [call]),
                                                         .init(role: .tool, content: "city not found", toolCallID: "call_1", isError: true)])
        let contents = try #require(try Self.object(try GeminiDialect.encode(request))["contents"]?.arrayValue)
        let response = contents[2].objectValue?["parts"]?.arrayValue?.first?.objectValue?["functionResponse"]?.objectValue
        #expect(response?["response"] == .object(["error": .string("city not found")]))
        let back = try JSONDecoder().decode(GeminiWire.Request.self, from: try GeminiDialect.encode(request))
        #expect(GeminiWire.neutral(back.contents)[2] == ChatRequest.Message(role: .tool, content: "city not found", toolCallID: "call_1", isError: true))
    }

    @Test("the simulator signs its calls, refuses a replayed call without a signature, and takes the adapter's turns")
    func simulatorSignatures() async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            try await Fixtures.withClient { client in
                func post(_ body: String) async throws -> (Int, [String: JSONValue]) {
                    let response = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1beta/models/pebble-1:generateContent", body)
                    return (Int(response.status), try #require(JSONValue(parsing: response.body)?.objectValue, "\(response.body)"))
                }
                let tools = #"[{"functionDeclarations":[{"name":"get_weather","parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}}}}]}]"#
                func history(_ signature: String) -> String {
                    #"""
                    {"tools":\#(tools),"contents":[{"role":"user","parts":[{"text":"What is the weather in Paris?"}]},
                     {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}\#(signature)}]},
                     {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"content":"18 degrees"}}}]}]}
                    """#
                }
                // What the adapter sent before: the call replayed without its signature.
                let (status, body) = try await post(history(""))
                #expect(status == 400)
                let error = try #require(body["error"]?.objectValue)
                #expect(error["code"] == .number(400) && error["status"] == .string("INVALID_ARGUMENT"))
                #expect(error["message"]?.stringValue?.hasPrefix("Function call is missing a thought_signature in functionCall parts.") == true)
                #expect(try await post(history(#","thoughtSignature":"skip_thought_signature_validator""#)).0 == 200)

                let (bothStatus, _) = try await post(#"{"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object"},"parametersJsonSchema":{"type":"object"}}]}],"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"#)
                #expect(bothStatus == 400)

                let provider = Self.provider(port: port, client: client)
                var request = ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "What is the weather in Paris?")], maxTokens: 500)
                request.tools = [Self.weather]
                let call = try #require(try await provider.complete(request).toolCalls.first)
                #expect(call.thoughtSignature?.isEmpty == false, "the simulator signs its calls as Gemini 3 does")
                request.messages += [.init(role: .assistant, content: "", toolCalls: [call]), .init(role: .tool, content: "18 degrees", toolCallID: call.id)]
                #expect(try await provider.complete(request).text == "The get_weather tool returned: 18 degrees")
                // A call from another provider: no signature, so the dummy goes.
                request.messages[1].toolCalls = [ToolCall(id: "toolu_9", name: "get_weather", arguments: #"{"city":"Paris"}"#)]
                request.messages[2].toolCallID = "toolu_9"
                #expect(try await provider.complete(request).text == "The get_weather tool returned: 18 degrees")
                // Asked again after the answer, the same call gets a new id.
                request.messages += [.init(role: .assistant, content: "It is 18 degrees."), .init(role: .user, content: "What is the weather in Paris now?")]
                let again = try #require(try await provider.complete(request).toolCalls.first)
                #expect(again.name == "get_weather" && again.id != call.id)
            }
        }
    }
}
