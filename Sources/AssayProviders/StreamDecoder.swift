import AssayCore
import Foundation

/// Reads one provider format's streamed events into an answer. Pure (no I/O), so the parsing
/// cost is measured on its own (Benchmarks/adapter-overhead) and each format's end-of-stream
/// rule is in one place.
public protocol StreamDecoder: Sendable {
    init()
    /// Consumes one event's `data:` payload and returns the answer's pieces it carried;
    /// `elapsedMs` gives the time since the request started, read when the first answer text arrives.
    @discardableResult
    mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError) -> [ChatDelta]
    /// The answer, or `truncated_stream` when the stream stopped before its end (`partial`: the
    /// bytes ended inside an event).
    func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer
}

/// What a stream said: the answer text, normalised usage and time to first token.
public struct StreamedAnswer: Sendable, Hashable {
    public var text: String
    public var usage: Usage
    package var finishReason: String?
    public var model: String?
    public var ttftMs: Int?
    package var toolCalls: [ToolCall] = []
    package var stopSequence: String?
}

/// Tool calls as a stream builds them: started with id and name, arguments in fragments.
struct ToolCallAssembly: Sendable {
    private(set) var calls: [ToolCall] = []

    /// Starts call `index` (a repeated start of the same index is ignored).
    mutating func start(_ index: Int, id: String, name: String, thoughtSignature: String? = nil) -> ChatDelta? {
        guard index == calls.count else { return nil }
        calls.append(ToolCall(id: id, name: name, arguments: "", thoughtSignature: thoughtSignature))
        return .toolCallStart(index: index, id: id, name: name)
    }

    mutating func append(_ index: Int, _ fragment: String) -> ChatDelta? {
        guard calls.indices.contains(index), !fragment.isEmpty else { return nil }
        calls[index].arguments += fragment
        return .toolCallArguments(index: index, fragment: fragment)
    }

    /// The calls, an empty argument text read as `{}`.
    var finished: [ToolCall] {
        calls.map { ToolCall(id: $0.id, name: $0.name, arguments: $0.arguments.isEmpty ? "{}" : $0.arguments, thoughtSignature: $0.thoughtSignature) }
    }
}

extension ProviderTransport {
    /// One streamed completion with retries: every attempt decodes a fresh stream with `D`.
    /// `onDelta` gets each piece as it arrives; once one was handed on, a failure is final
    /// (a retry would repeat what the caller already has).
    func streamCompletion<D: StreamDecoder>(_ decoder: D.Type, path: String, body: Data, headers: [(String, String)],
                                            estimatedTokens: Int,
                                            onDelta: (@Sendable (ChatDelta) async -> Void)? = nil) async throws(ProviderError) -> ChatResponse {
        let started = ContinuousClock.now
        var handedOn = false
        return try await retrying(estimatedTokens: estimatedTokens, retryIf: { _ in !handedOn }) { attempt throws(ProviderError) in
            var decoder = D()
            let partial = try await stream(path: path, body: body, headers: headers) { payload throws(ProviderError) in
                let deltas = try decoder.consume(payload) { ProviderTransport.milliseconds(since: started) }
                guard let onDelta else { return }
                for delta in deltas {
                    handedOn = true
                    await onDelta(delta)
                }
            }
            let answer = try decoder.finish(partial: partial)
            return ChatResponse(text: answer.text, usage: answer.usage, finishReason: answer.finishReason, model: answer.model,
                                latencyMs: ProviderTransport.milliseconds(since: started), attempts: attempt, ttftMs: answer.ttftMs,
                                toolCalls: answer.toolCalls, stopSequence: answer.stopSequence)
        }
    }
}
