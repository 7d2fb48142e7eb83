import AssayCore
import AssayProviders

/// Both ingress formats read into the neutral `Ask`, and an `Ask` sent to one target.
extension ProxyHandlers.Ask {
    /// A chat-completions request: messages (with tool calls and results) as they are, tools,
    /// tool choice and stop sequences.
    init(openAI wire: OpenAIWire.Request) {
        self.init(model: wire.model, messages: wire.messages, maxTokens: wire.maxCompletionTokens ?? wire.maxTokens,
                  temperature: wire.temperature, seed: wire.seed,
                  effort: (wire.reasoningEffort ?? wire.reasoning?.effort).flatMap(Effort.init(rawValue:)),
                  tools: (wire.tools ?? []).map(\.neutral), toolChoice: wire.toolChoice?.choice, stop: wire.stop?.sequences ?? [])
    }

    /// A Messages API request: `system` first, `tool_use` / `tool_result` blocks as tool calls
    /// and tool messages, effort from `output_config` or the thinking budget.
    init(anthropic wire: AnthropicWire.Request) {
        var messages = AnthropicWire.neutral(wire.messages)
        if let system = wire.system, !system.isEmpty { messages.insert(.init(role: .system, content: system), at: 0) }
        let effort = wire.outputConfig?.effort.flatMap(Effort.init(rawValue:))
            ?? wire.thinking.map { $0.type == "enabled" ? EffortMapping.effort(forAnthropicBudget: $0.budgetTokens) : Effort.none }
        self.init(model: wire.model, messages: messages, maxTokens: wire.maxTokens, temperature: wire.temperature, seed: nil, effort: effort,
                  tools: (wire.tools ?? []).map(\.neutral), toolChoice: wire.toolChoice?.neutral, stop: wire.stopSequences ?? [])
    }

    /// The request for one target model at its effort.
    func chatRequest(model: String, effort: Effort?) -> ChatRequest {
        var request = ChatRequest(model: model, messages: messages, maxTokens: maxTokens, effort: effort, temperature: temperature, seed: seed)
        request.tools = tools
        request.toolChoice = toolChoice
        request.stop = stop
        return request
    }
}
