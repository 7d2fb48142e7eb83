import AssayCore
import Foundation

extension AnthropicProvider {
    /// A streamed message: text deltas joined (thinking deltas are not answer text), time to
    /// first token measured, input usage from `message_start` and output from `message_delta`.
    /// A stream that ends without `message_stop` is truncated; an `error` event is classified
    /// like the HTTP error it stands for.
    func completeStreaming(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        let body = try Self.encode(request, parameter: settings.effortParameter(for: request))
        let headers = try headers()
        let started = ContinuousClock.now
        return try await transport.retrying(estimatedTokens: request.estimatedTokens) { attempt throws(ProviderError) in
            var text = "", stop: String?, model: String?, firstToken: Int?, finished = false
            var usage = AnthropicWire.Usage(inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: nil, cacheReadInputTokens: nil)
            let decoder = JSONDecoder()
            let partial = try await transport.stream(path: "/messages", body: body, headers: headers) { payload throws(ProviderError) in
                let event: AnthropicWire.StreamEvent
                do { event = try decoder.decode(AnthropicWire.StreamEvent.self, from: Data(payload.utf8)) } catch {
                    throw ProviderError(.malformedResponse, "a stream event is not an Anthropic message event: \(ProviderTransport.describe(error))")
                }
                switch event.type {
                case "message_start":
                    model = event.message?.model
                    if let start = event.message?.usage { usage = start }
                case "content_block_delta":
                    if event.delta?.type == "text_delta", let delta = event.delta?.text, !delta.isEmpty {
                        if firstToken == nil { firstToken = ProviderTransport.milliseconds(since: started) }
                        text += delta
                    }
                case "message_delta":
                    if let reason = event.delta?.stopReason { stop = reason }
                    if let output = event.usage?.outputTokens { usage.outputTokens = output }
                case "message_stop":
                    finished = true
                case "error":
                    let detail = event.error
                    throw ProviderError.fromAnthropicStreamError(type: detail?.type ?? "api_error", message: detail?.message ?? "")
                default:
                    break
                }
            }
            guard finished, !partial else {
                throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without message_stop")
            }
            return ChatResponse(text: text, usage: Self.normalise(usage, visibleText: text), finishReason: stop, model: model,
                                latencyMs: ProviderTransport.milliseconds(since: started), attempts: attempt, ttftMs: firstToken)
        }
    }
}

extension ProviderError {
    /// An `error` event inside an Anthropic stream (the HTTP status was already 200).
    static func fromAnthropicStreamError(type: String, message: String) -> ProviderError {
        let kind: Kind = switch type {
        case "rate_limit_error": .rateLimited
        case "overloaded_error", "api_error": .server
        case "authentication_error", "permission_error": .auth
        case "request_too_large": .contextTooLong
        default: .badRequest
        }
        return ProviderError(kind, "the stream reported \(type): \(message)")
    }
}
