import AssayCore
import AssayProviders

/// Checks a client's request against what the real APIs accept, before anything is routed or
/// sent upstream: a value the API would refuse gets the API's own 400 here (an upstream that
/// accepted it anyway, like a careless simulator, must never see it). Types are already checked
/// by decoding; this checks ranges, counts and sizes.
struct RequestValidation {
    /// The most `max_tokens` a request may ask (`serve.max_tokens`, or the client key's own cap).
    var maxTokensCap: Int

    static let maxModelNameBytes = 256
    static let maxMessages = 10_000
    static let maxTools = 128
    static let maxStopSequences = 16
    static let maxStopSequenceBytes = 1_024

    func check(openAI wire: OpenAIWire.Request) throws(Refusal) {
        try checkModel(wire.model)
        try checkMessages(wire.messages.count)
        if let value = wire.maxTokens { try checkMaxTokens(value, field: "max_tokens") }
        if let value = wire.maxCompletionTokens { try checkMaxTokens(value, field: "max_completion_tokens") }
        if let value = wire.temperature { try Self.check(value, in: 0...2, field: "temperature") }
        if let value = wire.topP { try Self.check(value, in: 0...1, field: "top_p") }
        if let n = wire.n, n != 1 {
            throw Self.invalid("n", "must be 1: assay serve answers with one choice (send n separate requests)")
        }
        if let effort = wire.reasoningEffort ?? wire.reasoning?.effort, Effort(rawValue: effort) == nil {
            throw Self.invalid("reasoning_effort", "must be one of \(Effort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // OpenAI allows at most 4 stop sequences.
        try checkStops(wire.stop?.sequences ?? [], field: "stop", limit: 4)
        try checkTools(wire.tools?.count ?? 0)
    }

    func check(anthropic wire: AnthropicWire.Request) throws(Refusal) {
        try checkModel(wire.model)
        try checkMessages(wire.messages.count)
        try checkTurns(wire.messages)
        try checkMaxTokens(wire.maxTokens, field: "max_tokens")
        if let value = wire.temperature { try Self.check(value, in: 0...1, field: "temperature") }
        if let value = wire.topP { try Self.check(value, in: 0...1, field: "top_p") }
        if let value = wire.topK, value < 0 { throw Self.invalid("top_k", "must be 0 or more, found \(value)") }
        if let effort = wire.outputConfig?.effort, Effort(rawValue: effort) == nil {
            throw Self.invalid("output_config.effort", "must be one of \(Effort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let thinking = wire.thinking, thinking.type == "enabled" {
            // The Messages API's rule: a thinking budget of at least 1,024 tokens, below max_tokens.
            guard let budget = thinking.budgetTokens, budget >= 1_024, budget < wire.maxTokens else {
                throw Self.invalid("thinking.budget_tokens", "must be at least 1024 and less than max_tokens (\(wire.maxTokens))")
            }
        }
        try checkStops(wire.stopSequences ?? [], field: "stop_sequences", limit: Self.maxStopSequences)
        try checkTools(wire.tools?.count ?? 0)
    }

    private func checkModel(_ model: String) throws(Refusal) {
        guard !model.isEmpty, model.utf8.count <= Self.maxModelNameBytes,
              model.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) else {
            throw Self.invalid("model", "must be 1–\(Self.maxModelNameBytes) visible ASCII characters ('auto', 'auto:<task>' or provider/model)")
        }
    }

    private func checkMessages(_ count: Int) throws(Refusal) {
        guard (1...Self.maxMessages).contains(count) else {
            throw Self.invalid("messages", "must hold 1–\(Self.maxMessages) messages, found \(count)")
        }
    }

    /// The Messages API's content block types (it refuses any other tag), its server-tool
    /// blocks included: a client replaying a conversation that used web search or code
    /// execution sends them back.
    static let anthropicBlockTypes: Set<String> = [
        "text", "image", "document", "search_result", "tool_use", "tool_result", "thinking", "redacted_thinking",
        "server_tool_use", "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
        "bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "mcp_tool_use", "mcp_tool_result", "container_upload",
    ]

    /// Roles and block types as the Messages API accepts them, and a conversation that is not
    /// empty once read: a turn of only unknown or unforwarded blocks would otherwise vanish and
    /// an empty conversation go upstream (found by Fuzz/fuzz-ingress-anthropic).
    private func checkTurns(_ turns: [AnthropicWire.Message]) throws(Refusal) {
        for (index, turn) in turns.enumerated() {
            guard turn.role == "user" || turn.role == "assistant" else {
                throw Self.invalid("messages.\(index).role", "must be 'user' or 'assistant', found '\(turn.role.prefix(64))'")
            }
            if let block = turn.content.firstIndex(where: { !Self.anthropicBlockTypes.contains($0.type) }) {
                throw Self.invalid("messages.\(index).content.\(block).type",
                                   "must be one of \(Self.anthropicBlockTypes.sorted().joined(separator: ", ")), found '\(turn.content[block].type.prefix(64))'")
            }
        }
        guard !AnthropicWire.neutral(turns).isEmpty else {
            throw Self.invalid("messages", "hold no text, tool call or tool result to send (image and document blocks are not forwarded)")
        }
    }

    private func checkMaxTokens(_ value: Int, field: String) throws(Refusal) {
        guard value >= 1 else { throw Self.invalid(field, "must be at least 1, found \(value)") }
        guard value <= maxTokensCap else {
            throw Self.invalid(field, "must be at most \(maxTokensCap) on this server (serve.max_tokens or the key's max_tokens), found \(value)")
        }
    }

    private func checkStops(_ stops: [String], field: String, limit: Int) throws(Refusal) {
        guard stops.count <= limit else { throw Self.invalid(field, "may hold at most \(limit) sequences, found \(stops.count)") }
        guard stops.allSatisfy({ !$0.isEmpty && $0.utf8.count <= Self.maxStopSequenceBytes }) else {
            throw Self.invalid(field, "sequences must be 1–\(Self.maxStopSequenceBytes) bytes")
        }
    }

    private func checkTools(_ count: Int) throws(Refusal) {
        guard count <= Self.maxTools else { throw Self.invalid("tools", "may hold at most \(Self.maxTools) tools, found \(count)") }
    }

    private static func check(_ value: Double, in range: ClosedRange<Double>, field: String) throws(Refusal) {
        guard value.isFinite, range.contains(value) else {
            throw invalid(field, "must be between \(range.lowerBound.formatted) and \(range.upperBound.formatted), found \(value)")
        }
    }

    static func invalid(_ field: String, _ problem: String) -> Refusal {
        Refusal(400, "invalid_request_error", "'\(field)' \(problem)", code: "invalid_value", param: field)
    }
}

private extension Double {
    var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
}
