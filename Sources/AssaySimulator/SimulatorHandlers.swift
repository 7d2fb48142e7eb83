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
        let list = OpenAIWire.ModelList(data: engine.zoo.models.map {
            .init(id: $0.id, created: Int($0.created.timeIntervalSince1970), ownedBy: engine.zoo.provider)
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
        let fault = FaultOutcome(faults.fault(for: wire.model)) { status, message in
            errorResponse(.init(status: status, type: status == 429 ? "rate_limit_exceeded" : "server_error",
                                code: status == 429 ? "rate_limit_exceeded" : nil, message: message))
        }
        if let response = fault.response { return response }
        let completion: SimulatorEngine.Completion
        do throws(SimulatorEngine.Refusal) {
            completion = try engine.complete(model: wire.model, messages: wire.messages, effortText: wire.reasoningEffort,
                                             maxTokens: wire.maxCompletionTokens ?? wire.maxTokens, seed: wire.seed)
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
            choices: [.init(index: 0, message: .init(role: "assistant", content: completion.text),
                            finishReason: completion.finishReason)],
            usage: OpenAIWire.Usage(completion.usage))
        return jsonResponse(body)
    }

    /// Server-sent events as OpenAI sends them: a role chunk, content chunks, a finish chunk, an
    /// optional usage chunk with empty choices, then `data: [DONE]`.
    func stream(_ completion: SimulatorEngine.Completion, id: String, created: Int, model: String, latencyMs: Double,
                includeUsage: Bool, cut: Bool = false) -> Response {
        var chunks: [OpenAIWire.Chunk] = [
            .init(id: id, created: created, model: model, choices: [.init(index: 0, delta: .init(role: "assistant", content: ""), finishReason: nil)], usage: nil),
        ]
        var text = Substring(completion.text)
        while !text.isEmpty {
            let piece = text.prefix(16)
            text = text.dropFirst(piece.count)
            chunks.append(.init(id: id, created: created, model: model,
                                choices: [.init(index: 0, delta: .init(content: String(piece)), finishReason: nil)], usage: nil))
        }
        chunks.append(.init(id: id, created: created, model: model,
                            choices: [.init(index: 0, delta: .init(), finishReason: completion.finishReason)], usage: nil))
        if includeUsage {
            chunks.append(.init(id: id, created: created, model: model, choices: [], usage: OpenAIWire.Usage(completion.usage)))
        }
        let all = chunks.map { chunk in
            "data: " + String(decoding: (try? JSONEncoder().encode(chunk)) ?? Data(), as: UTF8.self) + "\n\n"
        } + ["data: [DONE]\n\n"]
        // A cut stream ends after the first content chunk, mid-answer, with no finish and no [DONE].
        let events = cut ? Array(all.prefix(2)) : all
        let firstTokenDelay = latencyMs / 2
        let perChunk = events.count > 1 ? (latencyMs - firstTokenDelay) / Double(events.count - 1) : 0
        let body = ResponseBody { writer in
            try await Task.sleep(for: .milliseconds(firstTokenDelay))
            for (index, event) in events.enumerated() {
                if index > 0, perChunk > 0 { try await Task.sleep(for: .milliseconds(perChunk)) }
                try await writer.write(ByteBuffer(string: event))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    func authorize(_ request: Request) -> Response? {
        guard let key = configuration.apiKey else { return nil }
        if request.headers[.authorization] == "Bearer \(key)" { return nil }
        return errorResponse(.init(status: 401, type: "invalid_request_error", code: "invalid_api_key",
                                   message: "Incorrect API key provided."))
    }

    func errorResponse(_ refusal: SimulatorEngine.Refusal) -> Response {
        var response = jsonResponse(OpenAIWire.ErrorBody(message: refusal.message, type: refusal.type, code: refusal.code))
        response.status = .init(code: refusal.status)
        return response
    }

}
