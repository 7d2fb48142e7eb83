import AssayCore
import AssayProviders
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/messages/count_tokens`, Anthropic's token counter, answered `{"input_tokens": N}`
/// from a local estimate: the same one the router uses against context windows (UTF-8 bytes ÷ 4
/// of every message, tool call and tool definition, plus 4 per message). Nothing is sent
/// upstream (the routed model is not known until a request is routed, and counting must not
/// spend), so the figure is an estimate, not the model's tokenizer (docs/server.md).
extension ProxyHandlers {
    struct InputTokens: Encodable {
        var inputTokens: Int
        enum CodingKeys: String, CodingKey { case inputTokens = "input_tokens" }
    }

    func countTokens(_ request: Request, context: AssayRequestContext) async throws -> Response {
        // The counter's body is a Messages request without `max_tokens`: the server's cap stands in
        // for a missing one, so the thinking-budget rule and every other check apply unchanged.
        var body = try await readBody(request, as: JSONValue.self, what: "a count_tokens request", context: context)
        let validation = validation(for: request.headers)
        guard case .object(var fields) = body else {
            throw Refusal(400, "invalid_request_error", "the body is not a count_tokens request: expected a JSON object", code: "invalid_json")
        }
        if fields["max_tokens"] == nil { fields["max_tokens"] = .number(Double(validation.maxTokensCap)) }
        body = .object(fields)
        let wire: AnthropicWire.Request
        do { wire = try JSONDecoder().decode(AnthropicWire.Request.self, from: JSONEncoder().encode(body)) } catch {
            throw Refusal(400, "invalid_request_error", "the body is not a count_tokens request: \(error)", code: "invalid_json")
        }
        try validation.check(anthropic: wire)
        let ask = Ask(anthropic: wire)
        try checkServable(ask.model)
        var probe = ask.chatRequest(model: "", effort: nil)
        probe.maxTokens = 0
        return json(InputTokens(inputTokens: probe.estimatedTokens))
    }
}
