import AssayCore
import Foundation

extension OpenAICompatibleProvider {
    /// A streamed completion (`stream_options.include_usage`), decoded by `OpenAIStreamDecoder`.
    func completeStreaming(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        try await transport.streamCompletion(OpenAIStreamDecoder.self, path: "/chat/completions", body: try encode(request),
                                             headers: try headers(), estimatedTokens: request.estimatedTokens)
    }
}

/// Chat-completion chunks: content deltas joined, usage from the final chunk. A stream that
/// ends without `data: [DONE]` is truncated.
public struct OpenAIStreamDecoder: StreamDecoder {
    var text = "", finish: String?, usage: Usage?, model: String?, firstToken: Int?, done = false
    let decoder = JSONDecoder()

    public init() {}

    public mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError) {
        if payload == "[DONE]" {
            done = true
            return
        }
        let chunk: OpenAIWire.Chunk
        do { chunk = try decoder.decode(OpenAIWire.Chunk.self, from: Data(payload.utf8)) } catch {
            throw ProviderError(.malformedResponse, "a stream chunk is not a chat.completion.chunk: \(ProviderTransport.describe(error))")
        }
        model = model ?? chunk.model
        if let wireUsage = chunk.usage { usage = wireUsage.normalised }
        for choice in chunk.choices {
            if let content = choice.delta.content, !content.isEmpty {
                if firstToken == nil { firstToken = elapsedMs() }
                text += content
            }
            if let reason = choice.finishReason { finish = reason }
        }
    }

    public func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer {
        guard done, !partial else {
            throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without [DONE]")
        }
        return StreamedAnswer(text: text, usage: usage ?? .zero, finishReason: finish, model: model, ttftMs: firstToken)
    }
}
