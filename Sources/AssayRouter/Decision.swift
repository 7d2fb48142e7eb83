import AssayCore

/// Where one request goes, why, and where it goes next if that fails. Encodes to JSON (snake_case
/// with `CatalogDocument.encoder()`), as `/v1/route` answers.
public struct Decision: Codable, Sendable, Equatable {
    public var model: String
    public var effort: String
    public var task: String
    /// `model` (`auto:<task>`), `header` (`x-assay-task`) or `classifier`.
    public var taskSource: String
    /// The classifier's posterior for the task; 1 when the caller named it.
    public var taskConfidence: Double
    public var objective: String
    /// The per-request estimate of the chosen entry's quality (nearest items, shrunk; or the
    /// learned estimator's success probability, see `estimator`).
    package var estimatedQuality: Double
    /// The chosen entry's quality over the whole task.
    package var taskQuality: Double
    public var costPerTaskNusd: Int64
    /// Suite items close enough to the prompt to inform the estimate.
    public var neighbours: Int
    /// Cosine similarity of the prompt to its nearest item of the task (0 when none is near).
    package var nearestSimilarity: Double?
    /// The conversation stayed on its previous entry for its prompt cache.
    package var sticky: Bool
    /// Entries considered after exclusions and constraints.
    public var candidates: Int
    /// When the classifier was unsure: the plausible tasks and their posteriors, over which each
    /// candidate's estimate was mixed (docs/router.md, "Uncertain task").
    package var plausibleTasks: [TaskShare]?
    /// Entries left out because the request (prompt estimate + max tokens) exceeds their model's
    /// context window, and the tokens it needs.
    package var contextExcluded: [String]?
    package var contextNeeded: Int?
    /// Entries left out because their measured reasoning + answer tokens (catalog means) exceed
    /// the request's `max_tokens`, and that `max_tokens`.
    package var tokensExcluded: [String]?
    public var maxTokens: Int?
    /// True when no entry's measured need fits `max_tokens`: the entries with the smallest need
    /// were kept (docs/router.md, "Fitting the request").
    package var maxTokensUnmet: Bool?
    /// The unknown-prompt policy that chose the entry (`default_entry`, `robust`), and why the
    /// prompt counted as unknown; nil when the objective chose (docs/router.md, "Unknown prompts").
    package var unknownPolicy: String?
    package var unknownBecause: String?
    /// `prompt-logistic` when the estimates came from the task's learned estimator (the chosen
    /// entry's `estimatedQuality` is then its predicted success probability); nil: nearest items.
    public var estimator: String?
    /// The next entries to try, in order, on upstream failure.
    public var fallbacks: [Choice]
    /// One line, for the `x-assay-route` header and logs.
    public var reason: String
    public var catalogSha256: String

    package struct TaskShare: Codable, Sendable, Equatable {
        package var task: String
        package var probability: Double
    }

    public struct Choice: Codable, Sendable, Equatable {
        public var model: String
        public var effort: String
        package var estimatedQuality: Double
        public var costPerTaskNusd: Int64

        public var key: EntryKey { EntryKey(model: model, effort: effort) }
        public var name: String { key.description }
    }

    public var key: EntryKey { EntryKey(model: model, effort: effort) }
    /// `provider/model@effort`.
    public var name: String { key.description }
}

/// Why a request could not be routed; the server maps `code` to an HTTP status.
public struct RoutingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// `auto:<task>` or the header names a task the catalog does not have (400).
        case unknownTask
        /// Every entry is excluded or fails the constraints (503 when excluded, 400 otherwise).
        case noCandidate
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
