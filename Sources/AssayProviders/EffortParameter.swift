import AssayCore

/// Which request field carries the effort (docs/effort-mapping.md). Each provider type has a
/// default; a provider or a single model can override it in `assay.yaml` (`effort_param:`).
public enum EffortParameter: String, Sendable, Hashable, CaseIterable {
    /// OpenAI chat completions (and most compatible servers): `reasoning_effort: "<effort>"`.
    case reasoningEffort = "reasoning_effort"
    /// OpenRouter: `reasoning: {effort: "<effort>"}`.
    case openRouterReasoning = "reasoning"
    /// Anthropic extended thinking: `thinking: {type: enabled, budget_tokens: N}`; `none` disables it.
    case anthropicThinking = "thinking"
    /// Anthropic's effort control on newer models: `output_config: {effort: low|medium|high|xhigh}`.
    case anthropicOutputConfig = "output_config"
    /// Gemini 2.5: `thinkingConfig.thinkingBudget` (0 turns thinking off).
    case geminiThinkingBudget = "thinking_budget"
    /// Gemini 3: `thinkingConfig.thinkingLevel` MINIMAL/LOW/MEDIUM/HIGH.
    case geminiThinkingLevel = "thinking_level"
    /// The endpoint takes no effort parameter: only `none` is measured, nothing is sent.
    case omitted = "none"

    /// The default for a provider type.
    public static func `default`(for kind: ProviderSettings.Kind) -> EffortParameter {
        switch kind {
        case .openai: .reasoningEffort
        case .anthropic: .anthropicThinking
        case .gemini: .geminiThinkingBudget
        }
    }

    /// The provider types that understand this parameter.
    package var kinds: [ProviderSettings.Kind] {
        switch self {
        case .reasoningEffort, .openRouterReasoning: [.openai]
        case .anthropicThinking, .anthropicOutputConfig: [.anthropic]
        case .geminiThinkingBudget, .geminiThinkingLevel: [.gemini]
        case .omitted: ProviderSettings.Kind.allCases
        }
    }

    /// The Assay efforts this parameter can express. A model may take fewer (its
    /// `supported_efforts` in the config); an effort outside both is skipped, never sent.
    package var expressibleEfforts: [Effort] {
        switch self {
        case .reasoningEffort, .openRouterReasoning, .anthropicThinking, .geminiThinkingBudget: Effort.allCases
        case .anthropicOutputConfig: [.low, .medium, .high, .xhigh]
        case .geminiThinkingLevel: [.minimal, .low, .medium, .high]
        case .omitted: [.none]
        }
    }
}

/// Why an effort will not be measured for a model; shown by `assay run` and stored on the run.
package struct SkippedEffort: Sendable, Hashable, Codable {
    package var model: String
    package var effort: String
    package var reason: String

    package init(model: String, effort: String, reason: String) {
        self.model = model
        self.effort = effort
        self.reason = reason
    }
}
