import AssayCore
import AssayProviders
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The simulator speaking Anthropic's Messages API: `POST /v1/messages` and, for clients that
/// send `anthropic-version`, the model list in Anthropic's shape. Keys are accepted in
/// `x-api-key` or `Authorization: Bearer`, as Anthropic's SDKs send either.
struct AnthropicHandlers: Sendable {
    let engine: SimulatorEngine
    let configuration: SimulatorConfiguration
    let faults: FaultInjector

    func messages(_ request: Request) async throws -> Response {
        if let refusal = authorize(request) { return refusal }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: SimulatorHandlers.maxBodyBytes) } catch {
            return self.error(413, "request_too_large", "The request body is larger than \(SimulatorHandlers.maxBodyBytes) bytes.")
        }
        let wire: AnthropicWire.Request
        do { wire = try JSONDecoder().decode(AnthropicWire.Request.self, from: Data(buffer.readableBytesView)) } catch {
            return self.error(400, "invalid_request_error", "The request body is not valid JSON for the Messages API: \(error)")
        }
        if wire.maxTokens < 1 { return error(400, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1") }
        if let temperature = wire.temperature, !(0...1).contains(temperature) {
            return error(400, "invalid_request_error", "temperature: Input should be less than or equal to 1 and at least 0")
        }
        if let budget = wire.thinking?.budgetTokens {
            if budget < 1_024 { return error(400, "invalid_request_error", "thinking.budget_tokens: must be at least 1024") }
            if budget >= wire.maxTokens { return error(400, "invalid_request_error", "max_tokens must be greater than thinking.budget_tokens") }
        }
        if wire.thinking?.type == "enabled", let message = Self.thinkingRefusal(wire) { return error(400, "invalid_request_error", message) }
        let fault = FaultOutcome(faults.fault(for: wire.model)) { status, message in
            self.error(status, status == 429 ? "rate_limit_error" : status == 529 ? "overloaded_error" : "api_error", message)
        }
        if let response = fault.response { return response }
        var messages = AnthropicWire.neutral(wire.messages)
        if let system = wire.system { messages.insert(.init(role: .system, content: system), at: 0) }
        // output_config.effort names the effort; else a thinking budget stands for the largest effort
        // it reaches; with neither, the model's default effort.
        let effort = wire.outputConfig?.effort
            ?? wire.thinking.map { $0.type == "enabled" ? EffortMapping.effort(forAnthropicBudget: $0.budgetTokens).rawValue : "none" }
        let completion: SimulatorEngine.Completion
        do throws(SimulatorEngine.Refusal) {
            completion = try engine.complete(model: wire.model, messages: messages, effortText: effort, maxTokens: wire.maxTokens, seed: 0,
                                             tools: (wire.tools ?? []).map(\.neutral), toolChoice: wire.toolChoice?.neutral,
                                             stop: wire.stopSequences ?? [])
        } catch {
            return self.error(error.status, error.status == 404 ? "not_found_error" : "invalid_request_error", error.message)
        }
        let latency = (configuration.fixedLatencyMs ?? completion.latencyMs) + fault.extraLatencyMs
        let id = "msg_sim_\(StableHash.hash([wire.model, messages.last?.content ?? ""]) % 1_000_000_000)"
        if wire.stream == true { return stream(completion, id: id, model: wire.model, latencyMs: latency, cut: fault.cutStream) }
        try await Task.sleep(for: .milliseconds(latency))
        var content: [AnthropicWire.ContentBlock] = []
        if completion.usage.reasoningTokens > 0 { content.append(Self.thinkingBlock) }
        if completion.toolCalls.isEmpty || !completion.text.isEmpty { content.append(.init(type: "text", text: completion.text)) }
        content += completion.toolCalls.map { AnthropicWire.ContentBlock.toolUse(Self.anthropicID($0)) }
        return jsonResponse(AnthropicWire.Response(id: id, model: wire.model, content: content, stopReason: Self.stopReason(completion),
                                                   usage: Self.usage(completion), stopSequence: completion.stopSequence))
    }

    /// Why the API refuses thinking in this request, in its words, if it does: a tool choice
    /// that forces a call, or a last assistant turn with `tool_use` that does not start with a
    /// thinking block (the model's thinking for that turn is gone).
    static func thinkingRefusal(_ wire: AnthropicWire.Request) -> String? {
        if let choice = wire.toolChoice?.type, choice == "any" || choice == "tool" {
            return "Thinking may not be enabled when tool_choice forces tool use."
        }
        guard let index = wire.messages.lastIndex(where: { $0.role == "assistant" }),
              wire.messages[index].content.contains(where: { $0.type == "tool_use" }),
              let first = wire.messages[index].content.first, first.type != "thinking", first.type != "redacted_thinking" else { return nil }
        return "messages.\(index).content.0.type: Expected `thinking` or `redacted_thinking`, but found `\(first.type)`. When `thinking` is "
            + "enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and "
            + "`tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable "
            + "`thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
    }

    /// Anthropic's tool call ids start `toolu_`.
    static func anthropicID(_ call: ToolCall) -> ToolCall {
        ToolCall(id: "toolu_" + call.id.replacingOccurrences(of: "call_", with: ""), name: call.name, arguments: call.arguments)
    }

    static let thinkingBlock = AnthropicWire.ContentBlock(type: "thinking", thinking: "Working through the question step by step.", signature: "sim")

    static func stopReason(_ completion: SimulatorEngine.Completion) -> String {
        if !completion.toolCalls.isEmpty { return "tool_use" }
        if completion.stopSequence != nil { return "stop_sequence" }
        return completion.finishReason == "length" ? "max_tokens" : "end_turn"
    }

    static func usage(_ completion: SimulatorEngine.Completion) -> AnthropicWire.Usage {
        let usage = completion.usage
        return .init(inputTokens: usage.inputTokens - usage.cachedInputTokens, outputTokens: usage.outputTokens,
                     cacheCreationInputTokens: 0, cacheReadInputTokens: usage.cachedInputTokens)
    }

    /// Anthropic's event sequence: message_start (input usage), a thinking block when the model
    /// reasoned, a text block in deltas (none when the model only calls tools), a tool_use block
    /// per call with its input in `input_json_delta`s, message_delta (stop reason, stop sequence,
    /// output usage), message_stop.
    /// A cut stream ends after the first text delta.
    func stream(_ completion: SimulatorEngine.Completion, id: String, model: String, latencyMs: Double, cut: Bool) -> Response {
        var start = Self.usage(completion)
        start.outputTokens = 1
        var events = [EventStream.event(AnthropicWire.StreamEvent(
            type: "message_start", message: .init(id: id, model: model, content: [], stopReason: nil, usage: start)), name: "message_start")]
        var index = 0
        func block(_ first: AnthropicWire.ContentBlock, deltas: [AnthropicWire.Delta]) {
            events.append(EventStream.event(AnthropicWire.StreamEvent(type: "content_block_start", index: index, contentBlock: first),
                                            name: "content_block_start"))
            for delta in deltas {
                events.append(EventStream.event(AnthropicWire.StreamEvent(type: "content_block_delta", index: index, delta: delta),
                                                name: "content_block_delta"))
            }
            events.append(EventStream.event(AnthropicWire.StreamEvent(type: "content_block_stop", index: index), name: "content_block_stop"))
            index += 1
        }
        if completion.usage.reasoningTokens > 0 {
            block(.init(type: "thinking", thinking: ""), deltas: [.init(type: "thinking_delta", thinking: Self.thinkingBlock.thinking)])
        }
        let textStart = events.count + 1
        if completion.toolCalls.isEmpty || !completion.text.isEmpty {
            block(.init(type: "text", text: ""), deltas: EventStream.pieces(of: completion.text).map { .init(type: "text_delta", text: $0) })
        }
        for call in completion.toolCalls.map(Self.anthropicID) {
            block(.toolUse(ToolCall(id: call.id, name: call.name, arguments: "{}")),
                  deltas: EventStream.pieces(of: call.arguments).map { .init(type: "input_json_delta", partialJson: $0) })
        }
        events.append(EventStream.event(AnthropicWire.StreamEvent(
            type: "message_delta", delta: .init(stopReason: Self.stopReason(completion), stopSequence: completion.stopSequence),
            usage: .init(outputTokens: completion.usage.outputTokens)), name: "message_delta"))
        events.append(EventStream.event(AnthropicWire.StreamEvent(type: "message_stop"), name: "message_stop"))
        return EventStream.response(events: events, latencyMs: latencyMs, cutAfter: cut ? textStart + 1 : nil,
                                    chunkDelayMs: configuration.chunkDelayMs)
    }

    func models() -> Response {
        let formatter = ISO8601DateFormatter()
        return jsonResponse(AnthropicWire.ModelList(data: engine.zoo.models.map { .init(id: $0.id, createdAt: formatter.string(from: $0.created)) }))
    }

    func authorize(_ request: Request) -> Response? {
        guard let key = configuration.apiKey else { return nil }
        if request.headers[values: HTTPField.Name("x-api-key")!].contains(key) || request.headers[.authorization] == "Bearer \(key)" {
            return nil
        }
        return error(401, "authentication_error", "invalid x-api-key")
    }

    func error(_ status: Int, _ type: String, _ message: String) -> Response {
        var response = jsonResponse(AnthropicWire.ErrorBody(type: type, message: message))
        response.status = .init(code: status)
        return response
    }

}
