import AssayCore
import AssayProviders
import Foundation

/// A relayed stream as chat-completion chunks: a role chunk, then one chunk per piece (content
/// or `tool_calls` deltas), a finish chunk, the usage chunk when asked for, and `[DONE]`. The
/// role goes with the first piece, as OpenAI sends it: `content: ""` before text, or
/// `content: null` in the chunk that starts a tool call. An upstream failure after the start
/// ends the stream with an `{"error": …}` chunk and no `[DONE]`, which the OpenAI SDKs raise
/// as an API error.
struct OpenAIStreamWriter: StreamWriter {
    let id = ResponseID.make("chatcmpl-assay-", hexDigits: 12)
    let created = Int(Date().timeIntervalSince1970)
    let model: String
    let includeUsage: Bool
    let encoder = plainEncoder()
    private var roleSent = false

    init(model: String, includeUsage: Bool) {
        self.model = model
        self.includeUsage = includeUsage
    }

    mutating func piece(_ delta: ChatDelta) -> String {
        switch delta {
        case .text(let text):
            return role() + event(chunk(.init(content: text)))
        case .toolCallStart(let index, let id, let name):
            let start = OpenAIWire.DeltaToolCall(index: index, id: id, name: name, arguments: "")
            if !roleSent {
                roleSent = true
                return event(chunk(.init(role: "assistant", toolCalls: [start], nullContent: true)))
            }
            return event(chunk(.init(toolCalls: [start])))
        case .toolCallArguments(let index, let fragment):
            return role() + event(chunk(.init(toolCalls: [.init(index: index, arguments: fragment)])))
        case .usage:
            // Chat completions carry usage only at the end.
            return ""
        }
    }

    /// The role chunk, if it has not gone yet.
    private mutating func role() -> String {
        guard !roleSent else { return "" }
        roleSent = true
        return event(chunk(.init(role: "assistant", content: "")))
    }

    mutating func finish(_ answer: ChatResponse) -> String {
        var text = role() + event(chunk(.init(), finish: OpenAIResponses.finish(answer)))
        if includeUsage {
            text += event(OpenAIWire.Chunk(id: id, created: created, model: model, choices: [], usage: OpenAIWire.Usage(answer.usage)))
        }
        return text + "data: [DONE]\n\n"
    }

    func failure(_ error: ProviderError) -> String {
        event(OpenAIWire.ErrorBody(message: "the upstream model \(model) failed mid-stream: \(error.description)", type: "upstream_error",
                                   code: "upstream_failed"))
    }

    private func chunk(_ delta: OpenAIWire.Chunk.Delta, finish: String? = nil) -> OpenAIWire.Chunk {
        OpenAIWire.Chunk(id: id, created: created, model: model, choices: [.init(index: 0, delta: delta, finishReason: finish)], usage: nil)
    }

    private func event(_ value: some Encodable) -> String {
        "data: " + String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n\n"
    }
}
