import AssayCore
import Foundation

extension GeminiProvider {
    /// `streamGenerateContent?alt=sse`: each event is a partial response; text parts are joined
    /// (thought parts are not answer text), usage comes from the last event that has it. Gemini
    /// sends no end marker, so a stream whose last candidate has no `finishReason` is truncated.
    func completeStreaming(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        let body = try Self.encode(request, parameter: settings.effortParameter(for: request))
        let headers = try headers()
        let started = ContinuousClock.now
        let path = "/models/\(request.model):streamGenerateContent?alt=sse"
        return try await transport.retrying(estimatedTokens: request.estimatedTokens) { attempt throws(ProviderError) in
            var text = "", finish: String?, usage: GeminiWire.UsageMetadata?, model: String?, firstToken: Int?
            let decoder = JSONDecoder()
            let partial = try await transport.stream(path: path, body: body, headers: headers) { payload throws(ProviderError) in
                let chunk: GeminiWire.Response
                do { chunk = try decoder.decode(GeminiWire.Response.self, from: Data(payload.utf8)) } catch {
                    throw ProviderError(.malformedResponse, "a stream event is not a Gemini response: \(ProviderTransport.describe(error))")
                }
                model = chunk.modelVersion ?? model
                if let metadata = chunk.usageMetadata { usage = metadata }
                guard let candidate = chunk.candidates?.first else { return }
                for part in candidate.content?.parts ?? [] where part.thought != true {
                    guard let delta = part.text, !delta.isEmpty else { continue }
                    if firstToken == nil { firstToken = ProviderTransport.milliseconds(since: started) }
                    text += delta
                }
                if let reason = candidate.finishReason { finish = reason }
            }
            guard finish != nil, !partial else {
                throw ProviderError(.truncatedStream, "the stream ended after \(text.count) characters without a finishReason")
            }
            return ChatResponse(text: text, usage: usage.map(Self.normalise) ?? .zero, finishReason: finish,
                                model: model ?? request.model, latencyMs: ProviderTransport.milliseconds(since: started),
                                attempts: attempt, ttftMs: firstToken)
        }
    }
}
