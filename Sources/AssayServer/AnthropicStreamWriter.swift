import AssayCore
import AssayProviders
import Foundation

/// A relayed stream as Messages API events: `message_start`, a content block per run of text
/// and per tool call (`tool_use` with its input in `input_json_delta`s), `message_delta` with
/// the stop reason and usage, `message_stop`. An upstream failure after the start ends the
/// stream with `event: error`.
struct AnthropicStreamWriter {
    let id = "msg_assay_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20))"
    let model: String
    let encoder = plainEncoder()
    private var index = -1
    /// The open block: nil, text (-1) or the tool call's index.
    private var open: Int?

    init(model: String) { self.model = model }

    func start() -> String {
        let usage = AnthropicWire.Usage(inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: nil, cacheReadInputTokens: nil)
        return event("message_start", .init(type: "message_start", message: .init(id: id, model: model, content: [], stopReason: nil, usage: usage)))
    }

    mutating func piece(_ delta: ChatDelta) -> String {
        switch delta {
        case .text(let text):
            var out = open == -1 ? "" : openBlock(.init(type: "text", text: ""), as: -1)
            out += event("content_block_delta", .init(type: "content_block_delta", index: index, delta: .init(type: "text_delta", text: text)))
            return out
        case .toolCallStart(let call, let id, let name):
            return openBlock(.toolUse(ToolCall(id: id, name: name, arguments: "{}")), as: call)
        case .toolCallArguments(_, let fragment):
            // Anthropic has no way to go back to an earlier block: pieces go to the open tool block.
            return event("content_block_delta", .init(type: "content_block_delta", index: index,
                                                      delta: .init(type: "input_json_delta", partialJson: fragment)))
        }
    }

    mutating func finish(_ answer: ChatResponse) -> String {
        var out = index < 0 ? openBlock(.init(type: "text", text: ""), as: -1) : ""
        out += closeBlock()
        let (stop, sequence) = AnthropicResponses.stopReason(answer)
        let usage = AnthropicResponses.usage(answer.usage)
        out += event("message_delta", .init(type: "message_delta", delta: .init(stopReason: stop, stopSequence: sequence),
                                            usage: .init(outputTokens: usage.outputTokens, inputTokens: usage.inputTokens,
                                                         cacheReadInputTokens: usage.cacheReadInputTokens,
                                                         cacheCreationInputTokens: usage.cacheCreationInputTokens)))
        return out + event("message_stop", .init(type: "message_stop"))
    }

    func failure(_ error: ProviderError) -> String {
        let body = AnthropicWire.ErrorBody(type: error.kind == .rateLimited ? "rate_limit_error" : "api_error",
                                           message: "the upstream model \(model) failed mid-stream: \(error.description)")
        return "event: error\ndata: " + String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self) + "\n\n"
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
