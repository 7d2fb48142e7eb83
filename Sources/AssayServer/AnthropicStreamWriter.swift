import AssayCore
import AssayProviders
import Foundation

/// A relayed stream as Messages API events: `message_start`, a content block per run of text
/// and per tool call (`tool_use` with its input in `input_json_delta`s), `message_delta` with
/// the stop reason and usage, `message_stop`. An upstream failure after the start ends the
/// stream with `event: error`.
///
/// `message_start` goes with the first piece, so that it can carry the input and cache tokens
/// when the upstream said them before the answer (an Anthropic upstream's own `message_start`).
/// Other upstreams (OpenAI, Gemini) say usage only at the end: `message_start` then reports 0
/// input tokens, and the real counts come in `message_delta`.
struct AnthropicStreamWriter: StreamWriter {
    let id = ResponseID.make("msg_assay_", hexDigits: 20)
    let model: String
    let encoder = plainEncoder()
    private var index = -1
    /// The open block: nil, text (-1) or the tool call's index.
    private var open: Int?
    private var started = false
    private var inputUsage: Usage?

    init(model: String) { self.model = model }

    mutating func piece(_ delta: ChatDelta) -> String {
        if case .usage(let usage) = delta {
            inputUsage = usage
            return ""
        }
        var out = messageStart()
        switch delta {
        case .text(let text):
            out += open == -1 ? "" : openBlock(.init(type: "text", text: ""), as: -1)
            out += event("content_block_delta", .init(type: "content_block_delta", index: index, delta: .init(type: "text_delta", text: text)))
        case .toolCallStart(let call, let id, let name):
            out += openBlock(.toolUse(ToolCall(id: id, name: name, arguments: "{}")), as: call)
        case .toolCallArguments(_, let fragment):
            // Anthropic has no way to go back to an earlier block: pieces go to the open tool block.
            out += event("content_block_delta", .init(type: "content_block_delta", index: index,
                                                      delta: .init(type: "input_json_delta", partialJson: fragment)))
        case .usage:
            break
        }
        return out
    }

    /// `message_start` the first time, with the input usage known so far.
    private mutating func messageStart() -> String {
        guard !started else { return "" }
        started = true
        var usage = AnthropicWire.Usage(inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: nil, cacheReadInputTokens: nil)
        if let inputUsage { usage = AnthropicResponses.usage(inputUsage) }
        return event("message_start", .init(type: "message_start", message: .init(id: id, model: model, content: [], stopReason: nil, usage: usage)))
    }

    mutating func finish(_ answer: ChatResponse) -> String {
        var out = messageStart()
        out += index < 0 ? openBlock(.init(type: "text", text: ""), as: -1) : ""
        out += closeBlock()
        let (stop, sequence) = AnthropicResponses.stopReason(answer)
        let usage = AnthropicResponses.usage(answer.usage)
        out += event("message_delta", .init(type: "message_delta", delta: .init(stopReason: stop, stopSequence: sequence),
                                            usage: .init(outputTokens: usage.outputTokens, inputTokens: usage.inputTokens,
                                                         cacheReadInputTokens: usage.cacheReadInputTokens,
                                                         cacheCreationInputTokens: usage.cacheCreationInputTokens)))
        return out + event("message_stop", .init(type: "message_stop"))
    }

    mutating func failure(_ error: ProviderError) -> String {
        let start = messageStart()
        let body = AnthropicWire.ErrorBody(type: error.kind == .rateLimited ? "rate_limit_error" : "api_error",
                                           message: "the upstream model \(model) failed mid-stream: \(error.description)")
        return start + "event: error\ndata: " + String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self) + "\n\n"
    }

    private mutating func openBlock(_ block: AnthropicWire.ContentBlock, as kind: Int) -> String {
        let out = closeBlock()
        index += 1
        open = kind
        return out + event("content_block_start", .init(type: "content_block_start", index: index, contentBlock: block))
    }

    private mutating func closeBlock() -> String {
        guard open != nil else { return "" }
        open = nil
        return event("content_block_stop", .init(type: "content_block_stop", index: index))
    }

    private func event(_ name: String, _ value: AnthropicWire.StreamEvent) -> String {
        "event: \(name)\ndata: " + String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n\n"
    }
}
