import AssayCore
import Foundation

extension AnthropicProvider {
    /// A streamed message (`stream: true`), decoded by `AnthropicStreamDecoder`.
    func completeStreaming(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        let body = try Self.encode(request, parameter: settings.effortParameter(for: request))
        return try await transport.streamCompletion(AnthropicStreamDecoder.self, path: "/messages", body: body,
                                                    headers: try headers(), estimatedTokens: request.estimatedTokens)
    }
}

/// Anthropic message events: text deltas joined (thinking deltas are not answer text), input
/// usage from `message_start`, output from `message_delta`. A stream that ends without
/// `message_stop` is truncated; an `error` event is classified like the HTTP error it stands for.
public struct AnthropicStreamDecoder: StreamDecoder {
    var text = "", stop: String?, model: String?, firstToken: Int?, finished = false
    var usage = AnthropicWire.Usage(inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: nil, cacheReadInputTokens: nil)

    let decoder = JSONDecoder()

    public init() {}

    public mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError) {
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
                if firstToken == nil { firstToken = elapsedMs() }
                text += delta
            }
        case "message_delta":
            if let reason = event.delta?.stopReason { stop = reason }
            if let output = event.usage?.outputTokens { usage.outputTokens = output }
        case "message_stop":
            finished = true
        case "error":
            throw ProviderError.fromAnthropicStreamError(type: event.error?.type ?? "api_error", message: event.error?.message ?? "")
        default:
            break
        }
    }

    public func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer {
        guard finished, !partial else {
            throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without message_stop")
        }
        return StreamedAnswer(text: text, usage: AnthropicProvider.normalise(usage, visibleText: text), finishReason: stop,
                              model: model, ttftMs: firstToken)
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
