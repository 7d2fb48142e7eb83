import AssayCore
import AssayProviders
import Foundation
import Hummingbird
import NIOCore

/// The simulator's request handlers, speaking OpenAI's wire format and error bodies.
struct SimulatorHandlers: Sendable {
    let engine: SimulatorEngine
    let configuration: SimulatorConfiguration
    let faults: FaultInjector

    static let maxBodyBytes = 4 * 1024 * 1024

    func models(_ request: Request) throws -> Response {
        if let refusal = authorize(request) { return refusal }
        // OpenRouter's extensions (context length, per-token prices, supported parameters) too, so
        // discovery learns a new model's price from the listing as it does on OpenRouter.
        let list = OpenAIWire.ModelList(data: engine.zoo.models.map {
            .init(id: $0.id, created: Int($0.created.timeIntervalSince1970), ownedBy: engine.zoo.provider,
                  contextLength: $0.contextWindow, pricing: OpenRouterPricing($0.price),
                  supportedParameters: ["max_tokens", "reasoning", "reasoning_effort", "seed", "stop", "stream", "temperature", "tool_choice", "tools"])
        })
        return jsonResponse(list)
    }

    func chatCompletions(_ request: Request) async throws -> Response {
        if let refusal = authorize(request) { return refusal }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: Self.maxBodyBytes) } catch {
            return errorResponse(.init(status: 413, type: "invalid_request_error", code: "request_too_large",
                                       message: "The request body is larger than \(Self.maxBodyBytes) bytes."))
        }
        let wire: OpenAIWire.Request
        do { wire = try JSONDecoder().decode(OpenAIWire.Request.self, from: Data(buffer.readableBytesView)) } catch {
            return errorResponse(.init(status: 400, type: "invalid_request_error", code: "invalid_json",
                                       message: "We could not parse the JSON body of your request: \(error)"))
        }
        if let temperature = wire.temperature, !(0...2).contains(temperature) {
            return errorResponse(.init(status: 400, type: "invalid_request_error", code: "decimal_above_max_value",
                                       message: "Invalid 'temperature': expected a value between 0 and 2, but got \(temperature) instead."))
        }
        let fault = FaultOutcome(faults.fault(for: wire.model)) { status, message in
            errorResponse(.init(status: status, type: status == 429 ? "rate_limit_exceeded" : "server_error",
                                code: status == 429 ? "rate_limit_exceeded" : nil, message: message))
        }
        if let response = fault.response { return response }
        let completion: SimulatorEngine.Completion
        do throws(SimulatorEngine.Refusal) {
            completion = try engine.complete(model: wire.model, messages: wire.messages, effortText: wire.reasoningEffort ?? wire.reasoning?.effort,
                                             maxTokens: wire.maxCompletionTokens ?? wire.maxTokens, seed: wire.seed,
                                             tools: (wire.tools ?? []).map(\.neutral), toolChoice: wire.toolChoice?.choice,
                                             stop: wire.stop?.sequences ?? [])
        } catch {
            return errorResponse(error)
        }
        let latency = (configuration.fixedLatencyMs ?? completion.latencyMs) + fault.extraLatencyMs
        let id = "chatcmpl-sim-\(StableHash.hash([wire.model, String(wire.seed ?? 0), wire.messages.last?.content ?? ""]) % 1_000_000_000_000)"
        let created = Int(Date().timeIntervalSince1970)
        if wire.stream == true {
            return stream(completion, id: id, created: created, model: wire.model, latencyMs: latency,
                          includeUsage: wire.streamOptions?.includeUsage == true, cut: fault.cutStream)
        }
        try await Task.sleep(for: .milliseconds(latency))
        let body = OpenAIWire.Response(
            id: id, created: created, model: wire.model,
            choices: [.init(index: 0, message: .init(role: "assistant", content: completion.toolCalls.isEmpty || !completion.text.isEmpty ? completion.text : nil,
                                                     toolCalls: completion.toolCalls.isEmpty ? nil : completion.toolCalls.map(OpenAIWire.ToolCall.init)),
                            finishReason: completion.finishReason)],
            usage: OpenAIWire.Usage(completion.usage))
        return jsonResponse(body)
    }

    /// Server-sent events as OpenAI sends them: a role chunk, content chunks, tool call chunks
    /// (id and name first, then the arguments in pieces), a finish chunk, an optional usage
    /// chunk with empty choices, then `data: [DONE]`. A cut stream ends after the first content
    /// chunk, with no finish and no [DONE].
    func stream(_ completion: SimulatorEngine.Completion, id: String, created: Int, model: String, latencyMs: Double,
                includeUsage: Bool, cut: Bool = false) -> Response {
        var chunks: [OpenAIWire.Chunk] = [
            .init(id: id, created: created, model: model, choices: [.init(index: 0, delta: .init(role: "assistant", content: ""), finishReason: nil)], usage: nil),
        ]
        for piece in EventStream.pieces(of: completion.text) {
            chunks.append(.init(id: id, created: created, model: model,
                                choices: [.init(index: 0, delta: .init(content: piece), finishReason: nil)], usage: nil))
        }
        for (index, call) in completion.toolCalls.enumerated() {
            let pieces = [OpenAIWire.DeltaToolCall(index: index, id: call.id, name: call.name, arguments: "")]
                + EventStream.pieces(of: call.arguments).map { OpenAIWire.DeltaToolCall(index: index, arguments: $0) }
            for piece in pieces {
                chunks.append(.init(id: id, created: created, model: model,
                                    choices: [.init(index: 0, delta: .init(toolCalls: [piece]), finishReason: nil)], usage: nil))
            }
        }
        chunks.append(.init(id: id, created: created, model: model,
                            choices: [.init(index: 0, delta: .init(), finishReason: completion.finishReason)], usage: nil))
        if includeUsage {
            chunks.append(.init(id: id, created: created, model: model, choices: [], usage: OpenAIWire.Usage(completion.usage)))
        }
        let events = chunks.map { EventStream.event($0) } + ["data: [DONE]\n\n"]
        return EventStream.response(events: events, latencyMs: latencyMs, cutAfter: cut ? 2 : nil, chunkDelayMs: configuration.chunkDelayMs)
    }

    func authorize(_ request: Request) -> Response? {
        guard let key = configuration.apiKey else { return nil }
        let sent = request.headers[.authorization] ?? ""
        if sent == "Bearer \(key)" { return nil }
        // As OpenAI does, the refusal quotes the key it was sent: clients must not pass it on.
        let quoted = sent.hasPrefix("Bearer ") ? ": \(sent.dropFirst(7))" : ""
        return errorResponse(.init(status: 401, type: "invalid_request_error", code: "invalid_api_key",
                                   message: "Incorrect API key provided\(quoted). You can find your API key at https://platform.openai.com/account/api-keys."))
    }

    func errorResponse(_ refusal: SimulatorEngine.Refusal) -> Response {
        var response = jsonResponse(OpenAIWire.ErrorBody(message: refusal.message, type: refusal.type, code: refusal.code))
        response.status = .init(code: refusal.status)
        return response
    }

}
