import AssayCore
@testable import AssayProviders
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Extended thinking and tools: the API refuses thinking with a forced tool choice or with a
/// replayed `tool_use` turn whose thinking block is gone, so the adapter leaves thinking out then.
extension AnthropicAdapterTests {
    static let weather = ToolTranslationTests.weather
    static let call = ToolCall(id: "toolu_7", name: "get_weather", arguments: #"{"city":"Paris"}"#)

    static func json(_ request: ChatRequest) throws -> [String: JSONValue] {
        try #require(JSONValue(parsing: String(decoding: try AnthropicDialect.encode(request), as: UTF8.self))?.objectValue)
    }

    /// A follow-up turn: the user asked, the assistant called a tool, the result came back.
    static var followUp: ChatRequest {
        var request = ChatRequest(model: "pebble-1", messages: [
            .init(role: .user, content: "What is the weather in Paris?"),
            .init(role: .assistant, content: "", toolCalls: [call]),
            .init(role: .tool, content: "18 degrees", toolCallID: call.id),
        ], maxTokens: 500, effort: .low, temperature: 0.5)
        request.tools = [weather]
        return request
    }

    @Test("thinking is left out after a tool-calling assistant turn and with a forced tool choice, kept otherwise")
    func thinkingWithTools() throws {
        let followUp = try Self.json(Self.followUp)
        #expect(followUp["thinking"] == nil)
        #expect(followUp["max_tokens"] == .number(500) && followUp["temperature"] == .number(0.5), "no budget to make room for")

        var first = Self.followUp
        first.messages = [first.messages[0]]
        #expect(try Self.json(first)["thinking"] == .object(["type": .string("enabled"), "budget_tokens": .number(2_048)]))
        for choice in [ToolChoice.required, .tool("get_weather")] {
            first.toolChoice = choice
            #expect(try Self.json(first)["thinking"] == nil, "\(choice)")
        }
        first.toolChoice = .auto
        #expect(try Self.json(first)["thinking"] != nil)

        var none = Self.followUp
        none.effort = Effort.none
        #expect(try Self.json(none)["thinking"] == .object(["type": .string("disabled")]), "disabling thinking never conflicts")
    }

    @Test("the simulator refuses thinking as the API does; the adapter's follow-up turn goes through")
    func simulatorEnforcesThinkingRules() async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            try await Fixtures.withClient { client in
                func post(_ body: String) async throws -> (Int, [String: JSONValue]) {
                    let response = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/messages", body)
                    return (Int(response.status), try #require(JSONValue(parsing: response.body)?.objectValue, "\(response.body)"))
                }
                let tools = #"[{"name":"get_weather","input_schema":{"type":"object"}}]"#
                // What the adapter sent before: thinking on, with the tool_use turn replayed without its thinking block.
                let (status, body) = try await post(#"""
                    {"model":"pebble-1","max_tokens":3072,"thinking":{"type":"enabled","budget_tokens":2048},"tools":\#(tools),
                     "messages":[{"role":"user","content":"What is the weather in Paris?"},
                                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_7","name":"get_weather","input":{"city":"Paris"}}]},
                                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_7","content":"18 degrees"}]}]}
                    """#)
                #expect(status == 400 && body["type"] == .string("error"))
                let error = try #require(body["error"]?.objectValue)
                #expect(error["type"] == .string("invalid_request_error"))
                #expect(error["message"]?.stringValue?.hasPrefix("messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`.") == true)

                let (forcedStatus, forced) = try await post(#"""
                    {"model":"pebble-1","max_tokens":3072,"thinking":{"type":"enabled","budget_tokens":2048},"tools":\#(tools),
                     "tool_choice":{"type":"any"},"messages":[{"role":"user","content":"What is the weather in Paris?"}]}
                    """#)
                #expect(forcedStatus == 400)
                #expect(forced["error"]?.objectValue?["message"] == .string("Thinking may not be enabled when tool_choice forces tool use."))

                // With a thinking block first, the same history is accepted.
                let (signedStatus, _) = try await post(#"""
                    {"model":"pebble-1","max_tokens":3072,"thinking":{"type":"enabled","budget_tokens":2048},"tools":\#(tools),
                     "messages":[{"role":"user","content":"What is the weather in Paris?"},
                                 {"role":"assistant","content":[{"type":"thinking","thinking":"…","signature":"s"},{"type":"tool_use","id":"toolu_7","name":"get_weather","input":{"city":"Paris"}}]},
                                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_7","content":"18 degrees"}]}]}
                    """#)
                #expect(signedStatus == 200)

                let provider = Self.provider(port: port, client: client)
                let answer = try await provider.complete(Self.followUp)
                #expect(answer.text == "The get_weather tool returned: 18 degrees")
                var forcedRequest = Self.followUp
                forcedRequest.messages = [forcedRequest.messages[0]]
                forcedRequest.toolChoice = .required
                #expect(try await provider.complete(forcedRequest).toolCalls.first?.name == "get_weather")
            }
        }
    }
}
