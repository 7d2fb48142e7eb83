import AssayCore
import AssayProviders
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// The Anthropic-compatible ingress, `POST /v1/messages`: the same routing as chat
/// completions, answered in Anthropic's message shape (or its event stream), with
/// Anthropic-shaped errors. Claude Code and the Anthropic SDKs can point at `assay serve`.
extension ProxyHandlers {
    func messages(_ request: Request, context: AssayRequestContext) async -> Response {
        let wire: AnthropicWire.Request
        switch await readBody(request, as: AnthropicWire.Request.self, what: "a Messages API request") {
        case .success(let value): wire = value
        case .failure(let refusal): return AnthropicResponses.error(refusal)
        }
        do { try validation(for: request.headers).check(anthropic: wire) } catch { return AnthropicResponses.error(error) }
        let ask = Ask(anthropic: wire)
        if let refusal = budgetRefusal(headers: request.headers) { return AnthropicResponses.error(refusal) }
        if wire.stream == true { return await streamMessages(ask, headers: request.headers) }
        let headers = request.headers
        switch await hangUps.run(on: context.channel, { await complete(ask, headers: headers) }) {
        case .success(let result):
            return AnthropicResponses.respond(result.answer, model: result.model.description, headers: [Self.routeHeader: result.explanation])
        case .failure(let refusal):
            return AnthropicResponses.error(refusal)
        }
    }
}

enum AnthropicResponses {
    /// A refusal in Anthropic's error shape, its type from the HTTP status.
    static func error(_ refusal: Refusal) -> Response {
        let type = switch refusal.status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 502: "api_error"
        case 503: "overloaded_error"
        default: "invalid_request_error"
        }
        var response = error(refusal.status, type, refusal.message)
        if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    static func error(_ status: Int, _ type: String, _ message: String) -> Response {
        var response = json(AnthropicWire.ErrorBody(type: type, message: message))
        response.status = .init(code: status)
        return response
    }

    static func respond(_ answer: ChatResponse, model: String, headers: HTTPFields) -> Response {
        let id = ResponseID.make("msg_assay_", hexDigits: 20)
        var content: [AnthropicWire.ContentBlock] = answer.toolCalls.isEmpty || !answer.text.isEmpty ? [.init(type: "text", text: answer.text)] : []
        content += answer.toolCalls.map(AnthropicWire.ContentBlock.toolUse)
        let (stop, sequence) = stopReason(answer)
        return json(AnthropicWire.Response(id: id, model: model, content: content, stopReason: stop, usage: usage(answer.usage),
                                           stopSequence: sequence), headers: headers)
    }

    /// Neutral usage in Anthropic's terms: cache reads and writes apart from `input_tokens`.
    static func usage(_ usage: Usage) -> AnthropicWire.Usage {
        AnthropicWire.Usage(inputTokens: usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens, outputTokens: usage.outputTokens,
                            cacheCreationInputTokens: usage.cacheWriteTokens, cacheReadInputTokens: usage.cachedInputTokens)
    }

    /// The stop reason in Anthropic's words, and the stop sequence when the upstream named it
    /// (OpenAI and Gemini do not say whether a `stop` was a stop sequence: `end_turn`); a
    /// content filter or safety block is `refusal`.
    static func stopReason(_ answer: ChatResponse) -> (String, String?) {
        if !answer.toolCalls.isEmpty { return ("tool_use", nil) }
        if let sequence = answer.stopSequence { return ("stop_sequence", sequence) }
        switch answer.finishReason.map(OpenAIResponses.normalisedFinish) {
        case "length"?: return ("max_tokens", nil)
        case "content_filter"?: return ("refusal", nil)
        default: return ("end_turn", nil)
        }
    }
}
