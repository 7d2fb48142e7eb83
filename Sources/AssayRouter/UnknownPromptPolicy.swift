/// What the router does with a prompt far from everything it measured: the classifier unsure of
/// its task, or no suite item near it (docs/router.md, "Unknown prompts"). Only prompts whose
/// task was classified are judged; a task named by the caller (`auto:<task>`, `x-assay-task`)
/// is taken at its word.
package struct UnknownPromptPolicy: Sendable, Equatable {
    package enum Rule: Sendable, Equatable {
        /// Route as any prompt: estimates mixed over the plausible tasks (the behaviour before
        /// this policy existed).
        case mix
        /// A named entry (`provider/model@effort`), which must be in the catalog: an unknown
        /// prompt never costs more than the operator chose.
        case defaultEntry(String)
        /// The cheapest entry within the margin of every task's best, across all tasks; when no
        /// entry holds on every task, the one whose worst shortfall is smallest.
        case robust

        /// `mix`, `default_entry` or `robust`, as the reason and `Decision.unknownPolicy` say it.
        package var name: String {
            switch self {
            case .mix: "mix"
            case .defaultEntry: "default_entry"
            case .robust: "robust"
            }
        }
    }

    package var rule: Rule
    /// A classified prompt whose top task's posterior is below this is unknown.
    package var confidenceBelow: Double
    /// A classified prompt whose nearest item of its top task is less similar (cosine) than this
    /// is unknown; 0 (the default) does not look at similarity: on the shipped suites a clear
    /// coding or extraction prompt often has no near item either (docs/router.md).
    package var similarityBelow: Double

    package init(rule: Rule = .mix, confidenceBelow: Double = 0.5, similarityBelow: Double = 0) {
        self.rule = rule
        self.confidenceBelow = confidenceBelow
        self.similarityBelow = similarityBelow
    }
}
