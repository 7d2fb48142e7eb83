import AssayCore

/// How Assay's efforts map onto each provider's parameters (docs/effort-mapping.md).
package enum EffortMapping {
    /// Anthropic extended thinking: `none` disables it; the others enable it with a budget.
    /// The API requires budget ≥ 1,024 and max_tokens > budget.
    package static func anthropicThinkingBudget(_ effort: Effort) -> Int? {
        switch effort {
        case .none: nil
        case .minimal: 1_024
        case .low: 2_048
        case .medium: 8_192
        case .high: 16_384
        case .xhigh: 32_768
        }
    }

    /// The effort a thinking budget stands for: the largest whose budget it reaches.
    package static func effort(forAnthropicBudget budget: Int?) -> Effort {
        guard let budget else { return .none }
        return Effort.allCases.filter { (anthropicThinkingBudget($0) ?? 0) <= budget }.last ?? .minimal
    }

    /// max_tokens for an Anthropic request: what was asked for, but always room for the
    /// thinking budget plus an answer (the API rejects max_tokens ≤ budget_tokens).
    package static func anthropicMaxTokens(requested: Int?, budget: Int?) -> Int {
        let asked = requested ?? 4_096
        guard let budget else { return asked }
        return max(asked, budget + 1_024)
    }
}

extension EffortMapping {
    /// Gemini 2.5 `thinkingConfig.thinkingBudget` (0 turns thinking off on models that allow it).
    /// Assay sends `thinkingBudget` only, never `thinkingLevel` with it (both is an HTTP 400).
    package static func geminiThinkingBudget(_ effort: Effort) -> Int {
        switch effort {
        case .none: 0
        case .minimal: 512
        case .low: 1_024
        case .medium: 8_192
        case .high: 24_576
        case .xhigh: 32_768
        }
    }

    /// The effort a Gemini thinking budget stands for: the largest whose budget it reaches.
    package static func effort(forGeminiBudget budget: Int) -> Effort {
        Effort.allCases.filter { geminiThinkingBudget($0) <= budget }.last ?? .none
    }
}
