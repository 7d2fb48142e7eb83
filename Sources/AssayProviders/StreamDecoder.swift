import AssayCore
import Foundation

/// Reads one provider format's streamed events into an answer. Pure (no I/O), so the parsing
/// cost is measured on its own (Benchmarks/adapter-overhead) and each format's end-of-stream
/// rule is in one place.
public protocol StreamDecoder: Sendable {
    init()
    /// Consumes one event's `data:` payload; `elapsedMs` gives the time since the request
    /// started, read when the first answer text arrives.
    mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError)
    /// The answer, or `truncated_stream` when the stream stopped before its end (`partial`: the
    /// bytes ended inside an event).
    func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer
}

/// What a stream said: the answer text, normalised usage and time to first token.
public struct StreamedAnswer: Sendable, Hashable {
    public var text: String
    public var usage: Usage
    public var finishReason: String?
    public var model: String?
    public var ttftMs: Int?
}

extension ProviderTransport {
    /// One streamed completion with retries: every attempt decodes a fresh stream with `D`.
    func streamCompletion<D: StreamDecoder>(_ decoder: D.Type, path: String, body: Data, headers: [(String, String)],
                                            estimatedTokens: Int) async throws(ProviderError) -> ChatResponse {
        let started = ContinuousClock.now
        return try await retrying(estimatedTokens: estimatedTokens) { attempt throws(ProviderError) in
            var decoder = D()
            let partial = try await stream(path: path, body: body, headers: headers) { payload throws(ProviderError) in
                try decoder.consume(payload) { ProviderTransport.milliseconds(since: started) }
            }
            let answer = try decoder.finish(partial: partial)
            return ChatResponse(text: answer.text, usage: answer.usage, finishReason: answer.finishReason, model: answer.model,
                                latencyMs: ProviderTransport.milliseconds(since: started), attempts: attempt, ttftMs: answer.ttftMs)
        }
    }
}
