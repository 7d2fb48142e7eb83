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
    func messages(_ request: Request) async -> Response {
        let wire: AnthropicWire.Request
        switch await readBody(request, as: AnthropicWire.Request.self, what: "a Messages API request") {
        case .success(let value): wire = value
        case .failure(let refusal): return AnthropicResponses.error(refusal)
        }
        var messages = wire.messages.map { ChatRequest.Message(role: $0.role == "assistant" ? .assistant : .user, content: $0.content) }
        if let system = wire.system, !system.isEmpty { messages.insert(.init(role: .system, content: system), at: 0) }
        let effort = wire.outputConfig?.effort.flatMap(Effort.init(rawValue:))
            ?? wire.thinking.map { $0.type == "enabled" ? EffortMapping.effort(forAnthropicBudget: $0.budgetTokens) : Effort.none }
        let ask = Ask(model: wire.model, messages: messages, maxTokens: wire.maxTokens, temperature: wire.temperature, seed: nil, effort: effort)
        switch await complete(ask, headers: request.headers) {
        case .success(let result):
            return AnthropicResponses.respond(result.answer, model: result.model.description, stream: wire.stream == true,
                                              headers: [Self.routeHeader: result.explanation])
        case .failure(let refusal):
            return AnthropicResponses.error(refusal)
        }
    }
}

enum AnthropicResponses {
    /// A refusal in Anthropic's error shape, its type from the HTTP status.
    static func error(_ refusal: Refusal) -> Response {
        let type = switch refusal.status {
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 502: "api_error"
        case 503: "overloaded_error"
        default: "invalid_request_error"
        }
        return error(refusal.status, type, refusal.message)
    }

    static func error(_ status: Int, _ type: String, _ message: String) -> Response {
        var response = json(AnthropicWire.ErrorBody(type: type, message: message))
        response.status = .init(code: status)
        return response
    }

    static func respond(_ answer: ChatResponse, model: String, stream: Bool, headers: HTTPFields) -> Response {
        let id = "msg_assay_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20))"
        let usage = answer.usage
        let wireUsage = AnthropicWire.Usage(inputTokens: usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens,
                                            outputTokens: usage.outputTokens, cacheCreationInputTokens: usage.cacheWriteTokens,
                                            cacheReadInputTokens: usage.cachedInputTokens)
        let stop = switch answer.finishReason.map(OpenAIResponses.normalisedFinish) {
        case "length"?: "max_tokens"
        default: "end_turn"
        }
        guard stream else {
            return json(AnthropicWire.Response(id: id, model: model, content: [.init(type: "text", text: answer.text)], stopReason: stop,
                                               usage: wireUsage), headers: headers)
        }
        // The upstream answer is complete before the first event is sent (no incremental passthrough yet).
        var start = wireUsage
        start.outputTokens = 1
        var events: [(String, AnthropicWire.StreamEvent)] = [
            ("message_start", .init(type: "message_start", message: .init(id: id, model: model, content: [], stopReason: nil, usage: start))),
            ("content_block_start", .init(type: "content_block_start", index: 0, contentBlock: .init(type: "text", text: ""))),
        ]
        for piece in OpenAIResponses.pieces(of: answer.text) {
            events.append(("content_block_delta", .init(type: "content_block_delta", index: 0, delta: .init(type: "text_delta", text: piece))))
        }
        events.append(("content_block_stop", .init(type: "content_block_stop", index: 0)))
        events.append(("message_delta", .init(type: "message_delta", delta: .init(stopReason: stop), usage: .init(outputTokens: usage.outputTokens))))
        events.append(("message_stop", .init(type: "message_stop")))
        let encoder = plainEncoder()
        let body = events.map { name, event in
            "event: \(name)\ndata: " + String(decoding: (try? encoder.encode(event)) ?? Data(), as: UTF8.self) + "\n\n"
        }.joined()
        var fields = headers
        fields[.contentType] = "text/event-stream"
        fields[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
