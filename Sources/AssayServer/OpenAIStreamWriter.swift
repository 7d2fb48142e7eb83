import AssayCore
import AssayProviders
import Foundation

/// A relayed stream as chat-completion chunks: a role chunk, then one chunk per piece (content
/// or `tool_calls` deltas), a finish chunk, the usage chunk when asked for, and `[DONE]`. An
/// upstream failure after the start ends the stream with an `{"error": …}` chunk and no `[DONE]`,
/// which the OpenAI SDKs raise as an API error.
struct OpenAIStreamWriter {
    let id = "chatcmpl-assay-\(UUID().uuidString.lowercased().prefix(12))"
    let created = Int(Date().timeIntervalSince1970)
    let model: String
    let includeUsage: Bool
    let encoder = plainEncoder()

    func start() -> String {
        event(chunk(.init(role: "assistant", content: "")))
    }

    func piece(_ delta: ChatDelta) -> String {
        switch delta {
        case .text(let text):
            event(chunk(.init(content: text)))
        case .toolCallStart(let index, let id, let name):
            event(chunk(.init(toolCalls: [.init(index: index, id: id, name: name, arguments: "")])))
        case .toolCallArguments(let index, let fragment):
            event(chunk(.init(toolCalls: [.init(index: index, arguments: fragment)])))
        }
    }

    func finish(_ answer: ChatResponse) -> String {
        var text = event(chunk(.init(), finish: OpenAIResponses.finish(answer)))
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
