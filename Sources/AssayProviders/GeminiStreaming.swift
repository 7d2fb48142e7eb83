import AssayCore
import Foundation

/// Gemini partial responses: text parts joined (thought parts are not answer text), each
/// `functionCall` part a whole tool call, usage from the last event that has it. Gemini repeats
/// `usageMetadata` on every event, so the input tokens are known early: they are handed on as a
/// `usage` piece just before the first answer piece (as Anthropic's `message_start` gives them).
/// Gemini sends no end marker, so a stream whose last candidate has no `finishReason` is truncated.
public struct GeminiStreamDecoder: StreamDecoder {
    var text = "", finish: String?, usage: GeminiWire.UsageMetadata?, model: String?, firstToken: Int?
    var tools = ToolCallAssembly()
    /// True once the input tokens went on as a `usage` piece.
    var inputAnnounced = false

    let decoder = JSONDecoder()

    public init() {}

    public mutating func consume(_ payload: String, elapsedMs: () -> Int) throws(ProviderError) -> [ChatDelta] {
        let chunk: GeminiWire.Response
        do { chunk = try decoder.decode(GeminiWire.Response.self, from: Data(payload.utf8)) } catch {
            throw ProviderError(.malformedResponse, "a stream event is not a Gemini response: \(ProviderTransport.describe(error))")
        }
        model = chunk.modelVersion ?? model
        if let metadata = chunk.usageMetadata { usage = metadata }
        guard let candidate = chunk.candidates?.first else { return [] }
        var deltas: [ChatDelta] = []
        let parts = (candidate.content?.parts ?? []).filter { $0.thought != true }
        for call in GeminiDialect.toolCalls(in: parts, from: tools.calls.count, responseID: chunk.responseId) {
            if firstToken == nil { firstToken = elapsedMs() }
            let index = tools.calls.count
            deltas += [tools.start(index, id: call.id, name: call.name, thoughtSignature: call.thoughtSignature),
                       tools.append(index, call.arguments)].compactMap { $0 }
        }
        for part in parts {
            guard let delta = part.text, !delta.isEmpty else { continue }
            if firstToken == nil { firstToken = elapsedMs() }
            text += delta
            deltas.append(.text(delta))
        }
        if let reason = candidate.finishReason { finish = reason }
        guard !inputAnnounced, !deltas.isEmpty, let usage else { return deltas }
        inputAnnounced = true
        return [.usage(Usage(inputTokens: usage.promptTokenCount, cachedInputTokens: usage.cachedContentTokenCount ?? 0))] + deltas
    }

    public func finish(partial: Bool) throws(ProviderError) -> StreamedAnswer {
        guard finish != nil, !partial else {
            throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without a finishReason")
        }
        return StreamedAnswer(text: text, usage: usage.map(GeminiDialect.normalise) ?? .zero, finishReason: finish,
                              model: model, ttftMs: firstToken, toolCalls: tools.finished)
    }
}
