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
        if let maxTokens = wire.generationConfig?.maxOutputTokens, maxTokens < 1 {
            return error(400, "INVALID_ARGUMENT", "max_output_tokens must be positive.")
        }
        if let temperature = wire.generationConfig?.temperature, !(0...2).contains(temperature) {
            return error(400, "INVALID_ARGUMENT", "temperature must be between 0 and 2.")
        }
        let thinking = wire.generationConfig?.thinkingConfig
        if thinking?.thinkingBudget != nil && thinking?.thinkingLevel != nil {
            return error(400, "INVALID_ARGUMENT", "thinking_budget and thinking_level cannot both be set.")
        }
        let declarations = (wire.tools ?? []).flatMap(\.functionDeclarations)
        if let both = declarations.first(where: { $0.parameters != nil && $0.parametersJsonSchema != nil }) {
            return error(400, "INVALID_ARGUMENT", "Function '\(both.name)': parameters and parametersJsonSchema are mutually exclusive; set one.")
        }
        if let message = Self.missingSignature(wire.contents) { return error(400, "INVALID_ARGUMENT", message) }
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
                                             tools: declarations.map(\.neutral),
                                             toolChoice: wire.toolConfig?.neutral, stop: wire.generationConfig?.stopSequences ?? [])
        } catch {
            return self.error(error.status, error.status == 404 ? "NOT_FOUND" : "INVALID_ARGUMENT", error.message)
        }
        let latency = (configuration.fixedLatencyMs ?? completion.latencyMs) + fault.extraLatencyMs
        let responseID = String(StableHash.hash([model] + messages.flatMap { [$0.role.rawValue, $0.content] }) % 1_000_000_000_000, radix: 36)
        if streaming { return stream(completion, model: model, latencyMs: latency, cut: fault.cutStream, responseID: responseID) }
        try await Task.sleep(for: .milliseconds(latency))
        var parts: [GeminiWire.Part] = []
        if completion.usage.reasoningTokens > 0 { parts.append(Self.thoughtPart) }
        if completion.toolCalls.isEmpty || !completion.text.isEmpty { parts.append(.init(text: completion.text)) }
        parts += Self.functionCalls(completion, responseID: responseID)
        return jsonResponse(GeminiWire.Response(candidates: [.init(content: .init(role: "model", parts: parts), finishReason: Self.finishReason(completion))],
                                                usageMetadata: Self.usage(completion), modelVersion: model, responseId: responseID))
    }

    /// Gemini 3's rule: in the current turn (the contents after the last user text), the first
    /// `functionCall` part of every model step must carry its `thoughtSignature` (any value:
    /// the simulator does not check its own signatures, and Google's dummy passes as well).
    static func missingSignature(_ contents: [GeminiWire.Content]) -> String? {
        let turnStart = contents.lastIndex { $0.role != "model" && $0.parts.contains { $0.text != nil } } ?? -1
        for (position, content) in contents.enumerated() where position > turnStart && content.role == "model" {
            guard let first = content.parts.first(where: { $0.functionCall != nil }), let call = first.functionCall,
                  first.thoughtSignature?.isEmpty ?? true else { continue }
            return "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, "
                + "and missing thought_signature may lead to degraded model performance. Additional data, function call "
                + "`default_api:\(call.name)` , position \(position + 1). Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures "
                + "for more details."
        }
        return nil
    }

    static let thoughtPart = GeminiWire.Part(text: "Thinking the question through.", thought: true)

    /// Gemini's calls carry no id (as in most of its API versions) and arguments as an object;
    /// the first carries a thought signature, as Gemini 3's do.
    static func functionCalls(_ completion: SimulatorEngine.Completion, responseID: String) -> [GeminiWire.Part] {
        completion.toolCalls.enumerated().map { index, call in
            GeminiWire.Part(functionCall: .init(id: nil, name: call.name, args: call.argumentsObject),
                            thoughtSignature: index == 0 ? Data("sim-signature-\(responseID)".utf8).base64EncodedString() : nil)
        }
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
    /// pieces, the last carrying finishReason and the whole usage, the others the prompt's
    /// (Gemini repeats `usageMetadata` on every event); no end marker. A cut stream ends after
    /// the first answer piece.
    func stream(_ completion: SimulatorEngine.Completion, model: String, latencyMs: Double, cut: Bool, responseID: String) -> Response {
        var chunks: [GeminiWire.Response] = []
        let usage = completion.usage
        let promptOnly = GeminiWire.UsageMetadata(promptTokenCount: usage.inputTokens, candidatesTokenCount: nil, thoughtsTokenCount: nil,
                                                  cachedContentTokenCount: usage.cachedInputTokens, totalTokenCount: usage.inputTokens)
        if completion.usage.reasoningTokens > 0 {
            chunks.append(.init(candidates: [.init(content: .init(role: "model", parts: [Self.thoughtPart]), finishReason: nil)],
                                usageMetadata: promptOnly, modelVersion: model, responseId: responseID))
        }
        let firstAnswer = chunks.count + 1
        let pieces = EventStream.pieces(of: completion.text).map { [GeminiWire.Part(text: $0)] }
            + (completion.toolCalls.isEmpty ? [] : [Self.functionCalls(completion, responseID: responseID)])
        for (index, parts) in (pieces.isEmpty ? [[.init(text: "")]] : pieces).enumerated() {
            let last = index == max(pieces.count, 1) - 1
            chunks.append(.init(candidates: [.init(content: .init(role: "model", parts: parts),
                                                   finishReason: last ? Self.finishReason(completion) : nil)],
                                usageMetadata: last ? Self.usage(completion) : promptOnly, modelVersion: model, responseId: responseID))
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
