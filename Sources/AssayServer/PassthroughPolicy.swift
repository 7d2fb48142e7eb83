import AssayCore

/// Which concrete `provider/model` names `assay serve` passes through unrouted: the models the
/// config lists and the catalog routes to, plus the operator's `serve.passthrough` patterns
/// (`openai/gpt-5*`, `anthropic/*`). Anything else is refused with 404 before it reaches an
/// upstream, a metric label or the logs, so a client cannot spend on models nobody chose or
/// grow the server's tables with made-up names.
package struct PassthroughPolicy: Sendable {
    /// Exact `provider/model` names.
    package var models: Set<String>
    /// Patterns: exact names, or a prefix followed by `*`.
    package var patterns: [String]

    package init(models: Set<String> = [], patterns: [String] = []) {
        self.models = models
        self.patterns = patterns
    }

    /// No concrete model passes (only `auto` routes).
    package static let none = PassthroughPolicy()

    package func allows(_ ref: ModelRef) -> Bool {
        let name = ref.description
        if models.contains(name) { return true }
        return patterns.contains { pattern in
            pattern.hasSuffix("*") ? name.hasPrefix(pattern.dropLast()) : name == pattern
        }
    }
}
