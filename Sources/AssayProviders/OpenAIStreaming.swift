import AssayCore
import Foundation

/// Chat-completion chunks: content deltas joined, tool calls assembled by index, usage from
/// the final chunk. A stream that ends without `data: [DONE]` is truncated.
public struct OpenAIStreamDecoder: StreamDecoder {
    var text = "", finish: String?, usage: Usage?, model: String?, firstToken: Int?, done = false
    var tools = ToolCallAssembly()
    let decoder = JSONDecoder()

    public init() {}

    public mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError) -> [ChatDelta] {
        if payload == "[DONE]" {
            done = true
            return []
        }
        let chunk: OpenAIWire.Chunk
        do { chunk = try decoder.decode(OpenAIWire.Chunk.self, from: Data(payload.utf8)) } catch {
            throw ProviderError(.malformedResponse, "a stream chunk is not a chat.completion.chunk: \(ProviderTransport.describe(error))")
        }
        model = model ?? chunk.model
        if let wireUsage = chunk.usage { usage = wireUsage.normalised }
        var deltas: [ChatDelta] = []
        for choice in chunk.choices {
            if let content = choice.delta.content, !content.isEmpty {
                if firstToken == nil { firstToken = elapsedMs() }
                text += content
                deltas.append(.text(content))
            }
            for call in choice.delta.toolCalls ?? [] {
                if let id = call.id, let start = tools.start(call.index, id: id, name: call.function?.name ?? "") {
                    if firstToken == nil { firstToken = elapsedMs() }
                    deltas.append(start)
                }
                if let fragment = call.function?.arguments, let piece = tools.append(call.index, fragment) { deltas.append(piece) }
            }
            if let reason = choice.finishReason { finish = reason }
        }
        return deltas
    }

    public func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer {
        guard done, !partial else {
            throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without [DONE]")
        }
        return StreamedAnswer(text: text, usage: usage ?? .zero, finishReason: finish, model: model, ttftMs: firstToken,
                              toolCalls: tools.finished)
    }
}
