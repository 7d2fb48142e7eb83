import AssayCore
import AssayProviders
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The simulator speaking Gemini's API: `POST /v1beta/models/{model}:generateContent` and
/// `GET /v1beta/models`, with the key in `x-goog-api-key` (or `?key=`).
struct GeminiHandlers: Sendable {
    let engine: SimulatorEngine
    let configuration: SimulatorConfiguration
    let faults: FaultInjector

    func generateContent(_ request: Request, call: String) async throws -> Response {
        if let refusal = authorize(request) { return refusal }
        let pieces = call.split(separator: ":", maxSplits: 1)
        guard pieces.count == 2, pieces[1] == "generateContent" || pieces[1] == "streamGenerateContent" else {
            return error(404, "NOT_FOUND", "Unknown method '\(call)'; this simulator serves {model}:generateContent and {model}:streamGenerateContent.")
        }
        let streaming = pieces[1] == "streamGenerateContent"
        if streaming, request.uri.queryParameters.get("alt") != "sse" {
            return error(400, "INVALID_ARGUMENT", "This simulator streams server-sent events only: add ?alt=sse.")
        }
        let model = String(pieces[0])
        let fault = FaultOutcome(faults.fault(for: model)) { status, message in
            self.error(status, status == 429 ? "RESOURCE_EXHAUSTED" : status == 503 ? "UNAVAILABLE" : "INTERNAL", message)
        }
        if let response = fault.response { return response }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: SimulatorHandlers.maxBodyBytes) } catch {
            return self.error(413, "INVALID_ARGUMENT", "The request body is larger than \(SimulatorHandlers.maxBodyBytes) bytes.")
        }
        let wire: GeminiWire.Request
        do { wire = try JSONDecoder().decode(GeminiWire.Request.self, from: Data(buffer.readableBytesView)) } catch {
            return self.error(400, "INVALID_ARGUMENT", "Invalid JSON payload received: \(error)")
        }
        let thinking = wire.generationConfig?.thinkingConfig
        if thinking?.thinkingBudget != nil && thinking?.thinkingLevel != nil {
            return error(400, "INVALID_ARGUMENT", "thinking_budget and thinking_level cannot both be set.")
        }
        var messages = GeminiWire.neutral(wire.contents)
        if let system = wire.systemInstruction?.parts.compactMap(\.text).joined(), !system.isEmpty {
            messages.insert(.init(role: .system, content: system), at: 0)
        }
        let effort = thinking?.thinkingBudget.map { EffortMapping.effort(forGeminiBudget: $0).rawValue }
            ?? thinking?.thinkingLevel?.lowercased()
        let completion: SimulatorEngine.Completion
        do throws(SimulatorEngine.Refusal) {
            completion = try engine.complete(model: model, messages: messages, effortText: effort,
                                             maxTokens: wire.generationConfig?.maxOutputTokens, seed: wire.generationConfig?.seed,
                                             tools: (wire.tools ?? []).flatMap(\.functionDeclarations).map(\.neutral),
                                             toolChoice: wire.toolConfig?.neutral, stop: wire.generationConfig?.stopSequences ?? [])
        } catch {
            return self.error(error.status, error.status == 404 ? "NOT_FOUND" : "INVALID_ARGUMENT", error.message)
        }
        let latency = (configuration.fixedLatencyMs ?? completion.latencyMs) + fault.extraLatencyMs
        if streaming { return stream(completion, model: model, latencyMs: latency, cut: fault.cutStream) }
        try await Task.sleep(for: .milliseconds(latency))
        var parts: [GeminiWire.Part] = []
        if completion.usage.reasoningTokens > 0 { parts.append(Self.thoughtPart) }
        if completion.toolCalls.isEmpty || !completion.text.isEmpty { parts.append(.init(text: completion.text)) }
        parts += Self.functionCalls(completion)
        return jsonResponse(GeminiWire.Response(candidates: [.init(content: .init(role: "model", parts: parts), finishReason: Self.finishReason(completion))],
                                                usageMetadata: Self.usage(completion), modelVersion: model))
    }

    static let thoughtPart = GeminiWire.Part(text: "Thinking the question through.", thought: true)

    /// Gemini's calls carry no id (as in most of its API versions) and arguments as an object.
    static func functionCalls(_ completion: SimulatorEngine.Completion) -> [GeminiWire.Part] {
        completion.toolCalls.map { GeminiWire.Part(functionCall: .init(id: nil, name: $0.name, args: $0.argumentsObject)) }
    }

    static func finishReason(_ completion: SimulatorEngine.Completion) -> String {
        completion.finishReason == "length" ? "MAX_TOKENS" : "STOP"
    }

    static func usage(_ completion: SimulatorEngine.Completion) -> GeminiWire.UsageMetadata {
        let usage = completion.usage
        return .init(promptTokenCount: usage.inputTokens, candidatesTokenCount: usage.outputTokens - usage.reasoningTokens,
                     thoughtsTokenCount: usage.reasoningTokens, cachedContentTokenCount: usage.cachedInputTokens,
                     totalTokenCount: usage.inputTokens + usage.outputTokens)
    }

    /// Gemini's SSE stream: a thought part first when the model reasoned, then the answer in
    /// pieces, the last carrying finishReason and usage; no end marker. A cut stream ends
    /// after the first answer piece.
    func stream(_ completion: SimulatorEngine.Completion, model: String, latencyMs: Double, cut: Bool) -> Response {
        var chunks: [GeminiWire.Response] = []
        if completion.usage.reasoningTokens > 0 {
            chunks.append(.init(candidates: [.init(content: .init(role: "model", parts: [Self.thoughtPart]), finishReason: nil)],
                                usageMetadata: nil, modelVersion: model))
        }
        let firstAnswer = chunks.count + 1
        let pieces = EventStream.pieces(of: completion.text).map { [GeminiWire.Part(text: $0)] }
            + (completion.toolCalls.isEmpty ? [] : [Self.functionCalls(completion)])
        for (index, parts) in (pieces.isEmpty ? [[.init(text: "")]] : pieces).enumerated() {
            let last = index == max(pieces.count, 1) - 1
            chunks.append(.init(candidates: [.init(content: .init(role: "model", parts: parts),
                                                   finishReason: last ? Self.finishReason(completion) : nil)],
                                usageMetadata: last ? Self.usage(completion) : nil, modelVersion: model))
        }
        return EventStream.response(events: chunks.map { EventStream.event($0) }, latencyMs: latencyMs,
                                    cutAfter: cut && chunks.count > firstAnswer ? firstAnswer : (cut ? firstAnswer - 1 : nil),
                                    chunkDelayMs: configuration.chunkDelayMs)
    }

    func models(_ request: Request) -> Response {
        if let refusal = authorize(request) { return refusal }
        return jsonResponse(GeminiWire.ModelList(models: engine.zoo.models.map {
            .init(name: "models/\($0.id)", displayName: $0.id, supportedGenerationMethods: ["generateContent", "streamGenerateContent"],
                  inputTokenLimit: $0.contextWindow)
        }))
    }

    func authorize(_ request: Request) -> Response? {
        guard let key = configuration.apiKey else { return nil }
        if request.headers[HTTPField.Name("x-goog-api-key")!] == key || request.uri.queryParameters.get("key") == key { return nil }
        return error(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key.")
    }

    func error(_ code: Int, _ status: String, _ message: String) -> Response {
        var response = jsonResponse(GeminiWire.ErrorBody(code: code, message: message, status: status))
        response.status = .init(code: code)
        return response
    }

}
