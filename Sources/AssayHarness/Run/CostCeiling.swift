import AssayCore
import AssayProviders

/// The most one request can cost, reserved against the budget before it is sent and settled
/// to its real cost after. Input tokens are bounded by the prompt's UTF-8 bytes (no tokenizer
/// emits more tokens than bytes) plus room for the chat template; output by the max-tokens the
/// provider is actually sent, which for Anthropic thinking is raised to budget + 1,024, and for
/// Gemini adds the thinking budget (counted apart from maxOutputTokens).
enum CostCeiling {
    static let templateTokens = 64

    static func of(_ work: WorkItem, config: AssayConfig) -> Money {
        let promptBytes = (work.suite.system?.utf8.count ?? 0) + work.item.renderedPrompt.utf8.count
        let input = promptBytes + templateTokens * 2
        return work.price.ceiling(inputTokens: input, outputTokens: maxOutputTokens(work, config: config))
    }

    static func maxOutputTokens(_ work: WorkItem, config: AssayConfig) -> Int {
        let settings = config.providers[work.model.provider]
        let parameter = work.effortParameter ?? settings?.effortParameter
        switch (settings?.kind, parameter) {
        case (.anthropic?, .anthropicThinking?):
            return EffortMapping.anthropicMaxTokens(requested: config.maxTokens, budget: EffortMapping.anthropicThinkingBudget(work.effort))
        case (.gemini?, .geminiThinkingBudget?):
            return config.maxTokens + EffortMapping.geminiThinkingBudget(work.effort)
        case (.gemini?, _):
            return config.maxTokens + EffortMapping.geminiThinkingBudget(.xhigh)
        default:
            return config.maxTokens
        }
    }
}
