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
    /// `POST /v1/messages`.
    func messages(_ request: Request, context: AssayRequestContext) async throws -> Response {
        var trace = self.trace("messages", headers: request.headers)
        do throws(Refusal) {
            let wire = try await readBody(request, as: AnthropicWire.Request.self, what: "a Messages API request", context: context)
            try validation(for: request.headers).check(anthropic: wire)
            let ask = Ask(anthropic: wire)
            note(ask, stream: wire.stream == true, in: &trace)
            try checkBudget(headers: request.headers)
            let targets = noted(try self.targets(for: ask, headers: request.headers, stream: wire.stream == true), in: &trace)
            if wire.stream == true {
                let committed = try await relay(ask, targets: targets)
                let model = committed.target.model.description
                return eventStream(committed, trace: trace) { AnthropicStreamWriter(model: model) }
            }
            let result = try await answer(ask, targets: targets, on: context.channel)
            trace?.cascade = result.cascade
            record(trace, .answered(result.answer, result.target, fallbacks: result.fallbacks, ttftMs: nil))
            return AnthropicResponses.respond(result.answer, model: result.target.model.description, headers: [Self.routeHeader: result.explanation])
        } catch {
            record(trace, .refused(error, nil))
            throw error
        }
    }
}

enum AnthropicResponses {
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
