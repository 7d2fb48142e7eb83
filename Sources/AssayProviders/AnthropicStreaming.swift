import AssayCore
import Foundation

/// Anthropic message events: text deltas joined (thinking deltas are not answer text),
/// `tool_use` blocks assembled from `input_json_delta`s, input usage from `message_start`
/// (handed on as a `usage` piece just before the first answer piece), output from
/// `message_delta`. A stream that ends without
/// `message_stop` is truncated; an `error` event is classified like the HTTP error it stands for.
public struct AnthropicStreamDecoder: StreamDecoder {
    var text = "", stop: String?, stopSequence: String?, model: String?, firstToken: Int?, finished = false
    var tools = ToolCallAssembly()
    /// Content block index → tool call index.
    var toolBlocks: [Int: Int] = [:]
    var usage = AnthropicWire.Usage(inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: nil, cacheReadInputTokens: nil)
    /// True once `message_start` gave usage that has not been handed on yet.
    var usagePending = false

    let decoder = JSONDecoder()

    public init() {}

    public mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError) -> [ChatDelta] {
        let event: AnthropicWire.StreamEvent
        do { event = try decoder.decode(AnthropicWire.StreamEvent.self, from: Data(payload.utf8)) } catch {
            throw ProviderError(.malformedResponse, "a stream event is not an Anthropic message event: \(ProviderTransport.describe(error))")
        }
        switch event.type {
        case "message_start":
            model = event.message?.model
            if let start = event.message?.usage {
                usage = start
                usagePending = true
            }
        case "content_block_start":
            if let block = event.contentBlock, block.type == "tool_use", let index = event.index,
               let start = tools.start(tools.calls.count, id: block.id ?? "", name: block.name ?? "") {
                toolBlocks[index] = tools.calls.count - 1
                if firstToken == nil { firstToken = elapsedMs() }
                return announced(start)
            }
        case "content_block_delta":
            if event.delta?.type == "text_delta", let delta = event.delta?.text, !delta.isEmpty {
                if firstToken == nil { firstToken = elapsedMs() }
                text += delta
                return announced(.text(delta))
            }
            if event.delta?.type == "input_json_delta", let call = event.index.flatMap({ toolBlocks[$0] }),
               let piece = tools.append(call, event.delta?.partialJson ?? "") {
                return [piece]
            }
        case "message_delta":
            if let reason = event.delta?.stopReason { stop = reason }
            if let sequence = event.delta?.stopSequence { stopSequence = sequence }
            if let output = event.usage?.outputTokens { usage.outputTokens = output }
        case "message_stop":
            finished = true
        case "error":
            throw ProviderError.fromAnthropicStreamError(type: event.error?.type ?? "api_error", message: event.error?.message ?? "")
        default:
            break
        }
        return []
    }

    /// `piece`, after the input usage when that has not been handed on yet.
    mutating func announced(_ piece: ChatDelta) -> [ChatDelta] {
        guard usagePending else { return [piece] }
        usagePending = false
        let input = AnthropicWire.Usage(inputTokens: usage.inputTokens, outputTokens: 0, cacheCreationInputTokens: usage.cacheCreationInputTokens,
                                        cacheReadInputTokens: usage.cacheReadInputTokens)
        return [.usage(AnthropicDialect.normalise(input, visibleText: "")), piece]
    }

    public func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer {
        guard finished, !partial else {
            throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without message_stop")
        }
        return StreamedAnswer(text: text, usage: AnthropicDialect.normalise(usage, visibleText: text), finishReason: stop,
                              model: model, ttftMs: firstToken, toolCalls: tools.finished, stopSequence: stopSequence)
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
