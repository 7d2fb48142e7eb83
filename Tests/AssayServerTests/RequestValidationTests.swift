import AssayCore
import AssayProviders
@testable import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every request field is checked against what the real APIs accept before anything goes
/// upstream: the refusal is the API's own 400 naming the field, the upstream is never called,
/// and the server goes on answering.
@Suite struct RequestValidationTests {
    @Test("max_tokens -1 is refused with OpenAI's 400 naming the field, nothing goes upstream, and the server keeps serving")
    func negativeMaxTokens() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(maxTokens: -1)) { response in
                #expect(response.status == .badRequest)
                #expect(Wire.error(response.body, "param") == "max_tokens")
                #expect(Wire.error(response.body, "code") == "invalid_value")
                #expect(Wire.error(response.body, "message")?.contains("at least 1") == true)
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(maxTokens: 16)) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(fixture.upstream.calls == 1, "only the valid request reached the upstream")
    }

    @Test("out-of-range chat completion fields each get a 400 naming the field", arguments: [
        (", \"temperature\": 2.5", "temperature"), (", \"temperature\": -0.1", "temperature"), (", \"top_p\": 1.5", "top_p"),
        (", \"n\": 3", "n"), (", \"n\": 0", "n"), (", \"reasoning_effort\": \"extreme\"", "reasoning_effort"),
        (", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]", "stop"), (", \"max_completion_tokens\": 0", "max_completion_tokens"),
        (", \"max_tokens\": 9223372036854775807", "max_tokens"),
    ])
    func openAIRanges(extra: String, field: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(extra: extra)) { response in
                #expect(response.status == .badRequest)
                #expect(Wire.error(response.body, "param") == field)
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("out-of-range Messages API fields each get Anthropic's 400 invalid_request_error naming the field", arguments: [
        (0, "", "max_tokens"), (-1, "", "max_tokens"), (64, ", \"temperature\": 1.5", "temperature"),
        (64, ", \"top_k\": -2", "top_k"), (64, ", \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 10}", "thinking.budget_tokens"),
        (2048, ", \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 4096}", "thinking.budget_tokens"),
    ])
    func anthropicRanges(maxTokens: Int, extra: String, field: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages", method: .post, headers: Wire.json, body: Wire.messages(maxTokens: maxTokens, extra: extra)) { response in
                #expect(response.status == .badRequest)
                let body = Wire.object(response.body)
                #expect(body["type"] == .string("error"))
                #expect(Wire.error(response.body, "type") == "invalid_request_error")
                #expect(Wire.error(response.body, "message")?.contains("'\(field)'") == true)
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("wrong JSON types are a 400, not a crash", arguments: [
        "{\"model\": 7, \"messages\": []}", "{\"model\": \"auto\", \"messages\": \"hi\"}", "{\"model\": \"auto\", \"messages\": [], \"max_tokens\": \"9\"}",
        "{\"model\": \"auto\", \"messages\": []}", "[]", "null", "{\"model\": \"auto\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}",
    ])
    func wrongTypes(body: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(Wire.error(response.body, "type") == "invalid_request_error")
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("a model name of 10 KB is refused before it reaches a table, a label or the logs")
    func hugeModelName() async throws {
        let fixture = try ServerFixture()
        let name = "sim/" + String(repeating: "x", count: 10_000)
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(model: name)) { response in
                #expect(response.status == .badRequest)
                #expect(Wire.error(response.body, "param") == "model")
                #expect(response.body.readableBytes < 1_000, "the refusal does not echo the name")
            }
        }
    }
}

/// Inputs Fuzz/fuzz-ingress-anthropic found: each was accepted and sent upstream as an empty
/// conversation. Checked on the validation itself (no server needed).
@Suite struct AnthropicTurnValidationTests {
    static func refusal(_ messages: String) throws -> Refusal? {
        let body = #"{"model":"auto","max_tokens":256,"messages":"# + messages + "}"
        let wire = try JSONDecoder().decode(AnthropicWire.Request.self, from: Data(body.utf8))
        do { try RequestValidation(maxTokensCap: 4_096).check(anthropic: wire) } catch { return error }
        return nil
    }

    @Test("a block type the Messages API does not know is refused naming it, not dropped", arguments: [
        (#"[{"role":"user","content":[{"type":"tool_rseult","tool_use_id":"toolu_1","content":"sunny"}]}]"#, "messages.0.content.0.type"),
        (#"[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"txet","text":"x"}]}]"#, "messages.1.content.0.type"),
        (#"[{"role":"system","content":"hi"}]"#, "messages.0.role"),
        (#"[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":""}}]}]"#, "messages"),
    ])
    func refused(messages: String, field: String) throws {
        let refusal = try #require(try Self.refusal(messages))
        #expect(refusal.status == 400 && refusal.param == field, "\(refusal.message)")
    }

    @Test("ordinary turns still pass")
    func accepted() throws {
        #expect(try Self.refusal(#"[{"role":"user","content":"hi"}]"#) == nil)
        #expect(try Self.refusal(#"[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image","source":{}}]},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]"#) == nil)
    }
}
