import AssayCore
import Foundation

/// One request through `assay serve`, as the traffic log keeps it: who asked what, where it
/// went and why, how it ended, what it cost and what the baseline model would have cost. Never
/// a client key (only the key's name); the prompt and answer only when capture is on.
public struct TrafficEntry: Sendable, Hashable {
    public var at: Date
    /// The client key's name, nil when the server takes no keys.
    public var client: String?
    /// `chat_completions` or `messages`.
    public var endpoint: String
    public var requestedModel: String
    public var stream: Bool
    public var task: String?
    /// How the task was chosen: `named`, `header`, `classifier` (with `taskConfidence`).
    public var taskSource: String?
    public var taskConfidence: Double?
    /// The model and effort that answered (or was asked last), and the catalog that chose it.
    public var model: String?
    public var effort: String?
    public var catalogSha256: String?
    /// Candidates that failed or were skipped before the one that answered.
    public var fallbacks: Int
    public var status: Int
    /// The refusal or failure code (`invalid_value`, `upstream_failed`, …) when the status is not 200.
    public var error: String?
    public var latencyMs: Int
    public var ttftMs: Int?
    public var usage: Usage
    public var cost: Money?
    public var baselineCost: Money?
    /// The redacted prompt and answer, when capture is on and this request was sampled.
    public var capture: Capture?
    /// What a cascade request did (nil for a single pick); `cost` is then every step's together.
    public var cascade: CascadeSteps?

    public struct Capture: Sendable, Hashable {
        public var prompt: String
        public var answer: String
        public init(prompt: String, answer: String) {
            self.prompt = prompt
            self.answer = answer
        }
    }

    public init(at: Date, client: String?, endpoint: String, requestedModel: String, stream: Bool, task: String? = nil,
                taskSource: String? = nil, taskConfidence: Double? = nil, model: String? = nil, effort: String? = nil,
                catalogSha256: String? = nil, fallbacks: Int = 0, status: Int, error: String? = nil, latencyMs: Int,
                ttftMs: Int? = nil, usage: Usage = .zero, cost: Money? = nil, baselineCost: Money? = nil, capture: Capture? = nil) {
        self.at = at
        self.client = client
        self.endpoint = endpoint
        self.requestedModel = String(requestedModel.prefix(256))
        self.stream = stream
        self.task = task
        self.taskSource = taskSource
        self.taskConfidence = taskConfidence
        self.model = model
        self.effort = effort
        self.catalogSha256 = catalogSha256
        self.fallbacks = fallbacks
        self.status = status
        self.error = error
        self.latencyMs = latencyMs
        self.ttftMs = ttftMs
        self.usage = usage
        self.cost = cost
        self.baselineCost = baselineCost
        self.capture = capture
    }

    /// Days since 1970-01-01 UTC: the log's unit of rollup and retention.
    public var day: Int { Int((at.timeIntervalSince1970 / 86_400).rounded(.down)) }
}
