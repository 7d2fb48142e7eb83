import AssayCore

/// The router's knobs, fixed per snapshot (docs/router.md explains each).
public struct RouterOptions: Sendable, Equatable {
    /// Nearest suite items that inform a request's estimate.
    public var neighbours: Int
    /// Weight of the entry's task-level quality, in items of similarity 1 (the prior's strength).
    public var priorWeight: Double
    /// Items less similar than this (cosine) are not neighbours.
    public var minSimilarity: Double
    /// Quality margin of the `cheapest` objective; nil takes the catalog's.
    public var margin: Double?
    public var defaultObjective: Objective
    public var maxFallbacks: Int
    /// When the classifier's posterior for its top task is below this, each candidate's estimate
    /// is its expected quality over the plausible tasks (posterior ≥ `plausibleTask`); 0 never mixes.
    public var uncertainBelow: Double
    /// What a prompt far from every measured item gets (`serve.unknown_prompts`).
    package var unknownPrompts = UnknownPromptPolicy()
    /// Which per-request estimator to use: the catalog's choice (`router.estimator`), or one forced
    /// (`assay router eval` replays each).
    public var estimator = EstimatorPreference.catalog
    /// Apply the catalog's recalibration maps (`router.recalibration`) to the estimates; off only to
    /// compare with the raw estimates (`assay router eval` reports both).
    public var recalibrate = true

    public enum EstimatorPreference: String, Sendable, Equatable, CaseIterable {
        /// The learned estimator on the tasks the catalog ships it for, nearest items elsewhere.
        case catalog
        case nearestItems = "nearest-items"
        /// The learned estimator wherever the catalog has one, even where it did not win.
        case promptLogistic = "prompt-logistic"
    }

    /// Posterior a task needs to count as plausible when estimates are mixed.
    package static let plausibleTask = 0.01

    public init(neighbours: Int = 8, priorWeight: Double = 2, minSimilarity: Double = 0.05, margin: Double? = nil,
                defaultObjective: Objective = .cheapest, maxFallbacks: Int = 3, uncertainBelow: Double = 0.9) {
        self.neighbours = neighbours
        self.priorWeight = priorWeight
        self.minSimilarity = minSimilarity
        self.margin = margin
        self.defaultObjective = defaultObjective
        self.maxFallbacks = maxFallbacks
        self.uncertainBelow = uncertainBelow
    }
}
