import AssayCore
import Foundation

/// Anthropic's Messages API.
///
/// Usage: Anthropic reports cache reads and writes apart from `input_tokens`, and bills thinking
/// inside `output_tokens` without a separate count. Assay adds the cache counts into its input
/// total and estimates reasoning tokens as output tokens minus the visible answer's tokens
/// (one per four characters), since the thinking text returned may be a summary.
///
/// Thinking and tools: Assay keeps no thinking blocks in its neutral history, and the API
/// rejects thinking with a replayed `tool_use` turn that does not start with one, and with a
/// forced tool choice. Such requests go without `thinking` (docs/effort-mapping.md).
public enum AnthropicDialect: WireDialect {
    public typealias Stream = AnthropicStreamDecoder
    static let apiVersion = "2023-06-01"

    public static func path(for request: ChatRequest, streaming: Bool) -> String { "/messages" }

    public static func headers(apiKey: String?) -> [(String, String)] {
        [("anthropic-version", apiVersion)] + (apiKey.map { [("x-api-key", $0)] } ?? [])
    }

    public static func body(for request: ChatRequest, settings: ProviderSettings) throws(ProviderError) -> Data {
        try encode(request, parameter: settings.effortParameter(for: request))
    }

    /// A message body as a neutral answer (parse + normalise, no I/O).
    public static func answer(from bytes: [UInt8], latencyMs: Int, attempts: Int) throws(ProviderError) -> ChatResponse {
        let wire = try ProviderTransport.decode(AnthropicWire.Response.self, from: bytes, what: "an Anthropic message")
        let text = wire.content.filter { $0.type == "text" }.compactMap(\.text).joined()
        return ChatResponse(text: text, usage: normalise(wire.usage, visibleText: text), finishReason: wire.stopReason,
                            model: wire.model, latencyMs: latencyMs, attempts: attempts, toolCalls: wire.content.compactMap(\.toolCall),
                            stopSequence: wire.stopSequence)
    }

    public static func listedModels(from bytes: [UInt8]) throws(ProviderError) -> [ListedModel] {
        let list = try ProviderTransport.decode(AnthropicWire.ModelList.self, from: bytes, what: "an Anthropic model list")
        let formatter = ISO8601DateFormatter()
        return list.data.map { ListedModel(id: $0.id, created: formatter.date(from: $0.createdAt)) }
    }

    /// The Messages request for `request`: system messages go to `system`, effort to `thinking`
    /// (a budget) or to `output_config.effort`, as `parameter` says; tool calls become
    /// `tool_use` blocks and tool results `tool_result` blocks of a user turn. No `thinking` is
    /// sent when `thinkingConflicts` says the API would refuse it (the model's default applies).
    static func encode(_ request: ChatRequest, parameter: EffortParameter = .anthropicThinking) throws(ProviderError) -> Data {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let messages = AnthropicWire.messages(request.messages.filter { $0.role != .system })
        let requested = parameter == .anthropicThinking ? request.effort : nil
        // `none` still goes as `thinking: disabled`; an effort that would enable thinking goes as nothing.
        let effort = requested == Effort.none || !thinkingConflicts(request) ? requested : nil
        let budget = effort.flatMap(EffortMapping.anthropicThinkingBudget)
        let thinking = effort.map { _ in
            budget.map { AnthropicWire.Thinking(type: "enabled", budgetTokens: $0) } ?? AnthropicWire.Thinking(type: "disabled", budgetTokens: nil)
        }
        var wire = AnthropicWire.Request(
            model: request.model, maxTokens: EffortMapping.anthropicMaxTokens(requested: request.maxTokens, budget: budget),
            system: system.isEmpty ? nil : system, messages: messages, thinking: thinking,
            // Anthropic rejects a temperature other than 1 with thinking enabled.
            temperature: budget == nil ? request.temperature : nil, stream: request.stream ? true : nil)
        if parameter == .anthropicOutputConfig, let effort = request.effort { wire.outputConfig = .init(effort: effort.rawValue) }
        if !request.tools.isEmpty { wire.tools = request.tools.map(AnthropicWire.Tool.init) }
        wire.toolChoice = request.toolChoice.map(AnthropicWire.ToolChoiceField.init)
        if !request.stop.isEmpty { wire.stopSequences = request.stop }
        return try encoded(wire)
    }

    /// True when extended thinking would be refused: an assistant turn in the history called
    /// tools (its thinking block is not kept, and the API wants the last one to start with it),
    /// or the tool choice forces a call (`any` or a named tool).
    static func thinkingConflicts(_ request: ChatRequest) -> Bool {
        switch request.toolChoice {
        case .required?, .tool?: return true
        default: return request.messages.contains { $0.role == .assistant && !$0.toolCalls.isEmpty }
        }
    }

    static func normalise(_ usage: AnthropicWire.Usage, visibleText: String) -> Usage {
        let cacheRead = usage.cacheReadInputTokens ?? 0, cacheWrite = usage.cacheCreationInputTokens ?? 0
        let visible = visibleText.isEmpty ? 0 : (visibleText.utf8.count + 3) / 4
        return Usage(inputTokens: Usage.sum(usage.inputTokens, cacheRead, cacheWrite), cachedInputTokens: cacheRead,
                     cacheWriteTokens: cacheWrite, outputTokens: usage.outputTokens,
                     reasoningTokens: max(0, Usage.sum(usage.outputTokens, -visible)))
    }
}
