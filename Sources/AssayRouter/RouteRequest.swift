import AssayCore

/// One request to route: its text and what the caller says about it.
public struct RouteRequest: Sendable {
    /// The text to classify and match against suite items: the last user message is a good choice.
    public var prompt: String
    /// The requested model: `auto` (classify the prompt) or `auto:<task>`; anything else is ignored.
    public var model: String?
    /// The `x-assay-task` header, used when `model` names no task.
    public var taskHeader: String?
    /// The objective; nil takes the snapshot's default (cheapest non-inferior).
    public var objective: Objective?
    /// Only entries costing at most this per task (nano-USD).
    public var maxCostNusd: Int64?
    /// Only entries whose measured p95 latency is at most this; entries without one are kept.
    public var maxLatencyMs: Int?
    /// Models (`provider/model`) or entries (`provider/model@effort`) not to route to, e.g. with an
    /// open circuit breaker.
    public var excluded: Set<String>
    /// The conversation's previous route, for prompt-cache stickiness.
    public var session: Session?
    /// Tokens the whole request's input will take (every message, not just `prompt`); nil
    /// estimates them as `prompt`'s UTF-8 bytes ÷ 4.
    public var promptTokens: Int?
    /// The request's output budget (`max_tokens`); nil counts none.
    public var maxTokens: Int?

    /// The tokens a model's context window must hold: the prompt estimate plus `maxTokens`.
    package var contextNeeded: Int { (promptTokens ?? (prompt.utf8.count + 3) / 4) + max(0, maxTokens ?? 0) }

    public struct Session: Sendable, Equatable {
        /// The entry (`provider/model@effort`) the conversation's previous turn went to, or just
        /// its model (`provider/model`: its first eligible entry in the catalog's order).
        public var previous: String
        /// Prompt tokens the previous model has cached (the conversation so far).
        public var cachedPromptTokens: Int

        public init(previous: String, cachedPromptTokens: Int) {
            self.previous = previous
            self.cachedPromptTokens = cachedPromptTokens
        }
    }

    public init(prompt: String, model: String? = nil, taskHeader: String? = nil, objective: Objective? = nil,
                maxCostNusd: Int64? = nil, maxLatencyMs: Int? = nil, excluded: Set<String> = [], session: Session? = nil,
                promptTokens: Int? = nil, maxTokens: Int? = nil) {
        self.prompt = prompt
        self.model = model
        self.taskHeader = taskHeader
        self.objective = objective
        self.maxCostNusd = maxCostNusd
        self.maxLatencyMs = maxLatencyMs
        self.excluded = excluded
        self.session = session
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
    }
}
