import AssayCore
import Foundation

extension OpenAICompatibleProvider {
    /// A streamed completion: content deltas joined, time to first token measured, usage taken
    /// from the final chunk (`stream_options.include_usage`). A stream that ends without
    /// `data: [DONE]` is a truncated stream, retried like other transient failures.
    func completeStreaming(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        let body = try encode(request)
        let headers = try headers()
        let started = ContinuousClock.now
        return try await transport.retrying(estimatedTokens: request.estimatedTokens) { attempt throws(ProviderError) in
            var text = "", finish: String?, usage: Usage?, model: String?, firstToken: Int?, done = false
            let decoder = JSONDecoder()
            let partial = try await transport.stream(path: "/chat/completions", body: body, headers: headers) { payload throws(ProviderError) in
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
                        if firstToken == nil { firstToken = ProviderTransport.milliseconds(since: started) }
                        text += content
                    }
                    if let reason = choice.finishReason { finish = reason }
                }
            }
            guard done, !partial else {
                throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without [DONE]")
            }
            return ChatResponse(text: text, usage: usage ?? .zero, finishReason: finish, model: model,
                                latencyMs: ProviderTransport.milliseconds(since: started), attempts: attempt, ttftMs: firstToken)
        }
    }
}
