import AssayCore
@testable import AssayProviders
@testable import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Same-format passthrough: an OpenAI-format upstream's whole answer goes back to an OpenAI client
/// with only `model` rewritten; anything else is written anew from the decoded answer.
@Suite struct AnswerRelayTests {
    /// Answers with fixed bytes in `format`, read by the real dialect as `HTTPModelProvider` reads them.
    struct BytesUpstream: ModelProvider {
        let name = "sim"
        var format: UpstreamBody.Format
        var body: String

        func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
            let bytes = Array(body.utf8)
            var answer = switch format {
            case .openAI: try OpenAIDialect.answer(from: bytes, latencyMs: 1, attempts: 1)
            case .anthropic: try AnthropicDialect.answer(from: bytes, latencyMs: 1, attempts: 1)
            case .gemini: try GeminiDialect.answer(from: bytes, latencyMs: 1, attempts: 1)
            }
            answer.upstreamBody = UpstreamBody(format: format, bytes: bytes)
            return answer
        }

        func listModels() async throws(ProviderError) -> [String] { ["cheap", "dear"] }
    }

    static let openAIBody = #"""
    {"id":"chatcmpl-up","object":"chat.completion","created":1741570283,"model":"cheap-2025","system_fingerprint":"fp_1",
     "choices":[{"index":0,"message":{"role":"assistant","content":"8 \u00e9\ud83d\ude00","refusal":null,"annotations":[]},
     "logprobs":null,"finish_reason":"stop"}],
     "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25,"prompt_tokens_details":{"cached_tokens":0}}}
    """#

    static let anthropicBody = #"""
    {"id":"msg_up","type":"message","role":"assistant","model":"cheap-2025",
     "content":[{"type":"text","text":"8","citations":null}],"stop_reason":"end_turn","stop_sequence":null,
     "usage":{"input_tokens":20,"output_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}
    """#

    func run(_ upstream: BytesUpstream, uri: String, body: ByteBuffer, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        let fixture = try ServerFixture()
        let holder = try RouterHolder(path: fixture.directory + "/catalog.json")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (app, _) = buildServerApplication(holder: holder, providers: ["sim": upstream], host: "127.0.0.1", port: 0,
                                              settings: fixture.settings, logger: logger) { _ in }
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .post, headers: Wire.json, body: body) { response in try check(response) }
        }
    }

    /// `text` with the top-level `model` value replaced, as the relay should send it.
    static func expected(_ text: String, model: String) throws -> String {
        String(decoding: try #require(try JSONFields(Array(text.utf8)).replacing("model", withString: model)), as: UTF8.self)
    }

    @Test("OpenAI in, OpenAI upstream: the upstream's bytes, model rewritten to the provider/model that answered")
    func openAI() async throws {
        let expected = try Self.expected(Self.openAIBody, model: "sim/cheap")
        try await run(BytesUpstream(format: .openAI, body: Self.openAIBody), uri: "/v1/chat/completions", body: Wire.chat()) { response in
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == expected)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[ProxyHandlers.routeHeader]?.isEmpty == false)
        }
    }

    @Test("Anthropic in, Anthropic upstream: written anew as before (the upstream's thinking blocks stay out)")
    func anthropic() async throws {
        let thinking = Self.anthropicBody.replacingOccurrences(of: #""content":["#,
                                                               with: #""content":[{"type":"thinking","thinking":"hmm","signature":"s"},"#)
        try await run(BytesUpstream(format: .anthropic, body: thinking), uri: "/v1/messages", body: Wire.messages()) { response in
            let object = Wire.object(response.body)
            #expect(object["id"]?.stringValue?.hasPrefix("msg_assay_") == true && object["model"] == .string("sim/cheap"))
            #expect(object["content"]?.arrayValue?.first?.objectValue?["type"] == .string("text"))
        }
    }

    @Test("across formats the answer is translated as before, never relayed")
    func crossFormat() async throws {
        try await run(BytesUpstream(format: .anthropic, body: Self.anthropicBody), uri: "/v1/chat/completions", body: Wire.chat()) { response in
            let object = Wire.object(response.body)
            #expect(object["object"] == .string("chat.completion") && object["model"] == .string("sim/cheap"))
            #expect(object["choices"]?.arrayValue?.first?.objectValue?["message"]?.objectValue?["content"] == .string("8"))
            #expect(object["id"]?.stringValue?.hasPrefix("chatcmpl-assay-") == true)
        }
        try await run(BytesUpstream(format: .openAI, body: Self.openAIBody), uri: "/v1/messages", body: Wire.messages()) { response in
            let object = Wire.object(response.body)
            #expect(object["type"] == .string("message") && object["id"]?.stringValue?.hasPrefix("msg_assay_") == true)
        }
    }

    @Test("usage the server had to clamp is written anew: the client never sees the impossible counts")
    func clampedUsage() async throws {
        let impossible = Self.openAIBody.replacingOccurrences(of: #""completion_tokens":5"#, with: #""completion_tokens":-5"#)
        try await run(BytesUpstream(format: .openAI, body: impossible), uri: "/v1/chat/completions", body: Wire.chat()) { response in
            let object = Wire.object(response.body)
            #expect(object["id"]?.stringValue?.hasPrefix("chatcmpl-assay-") == true)
            #expect(object["usage"]?.objectValue?["completion_tokens"] == .number(0))
        }
    }

    @Test("relayed only from a body the reader accepts whole, and only when it has a model to rewrite")
    func relayConditions() {
        let answer = ChatResponse(text: "8", usage: .zero, finishReason: "stop", model: nil, latencyMs: 1, attempts: 1)
        var withBody = answer
        withBody.upstreamBody = UpstreamBody(format: .openAI, bytes: Array(#"{"id":"x"}"#.utf8))
        #expect(AnswerRelay.relayed(withBody, to: .openAI, model: "sim/cheap") == nil, "no model member")
        withBody.upstreamBody = UpstreamBody(format: .openAI, bytes: Array(#"{"model":"x"} trailing"#.utf8))
        #expect(AnswerRelay.relayed(withBody, to: .openAI, model: "sim/cheap") == nil, "not one JSON object")
        withBody.upstreamBody = UpstreamBody(format: .openAI, bytes: Array(#"{"model":"x"}"#.utf8))
        #expect(AnswerRelay.relayed(withBody, to: .openAI, model: "sim/cheap") == Array(#"{"model":"sim/cheap"}"#.utf8))
        #expect(AnswerRelay.relayed(withBody, to: .anthropic, model: "sim/cheap") == nil, "another format")
        #expect(AnswerRelay.relayed(answer, to: .openAI, model: "sim/cheap") == nil, "no upstream body")
        #expect(withBody == answer && withBody.hashValue == answer.hashValue, "the body is not part of the answer's value")
    }
}
