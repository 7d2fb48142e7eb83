import Foundation

/// The learned per-request estimator of one task (docs/router.md, "Learned estimates"): a
/// prompt's hardness h = bias + weights · `PromptShape.vector` (ridge regression of the items'
/// mean score over every entry on their prompt features), and each entry's success probability
/// σ(intercept + slope × h), fitted on hardness predicted for items the regression did not see,
/// so the probabilities are calibrated rather than fitted to memorised items.
public struct PromptLogistic: Codable, Sendable, Equatable {
    public var bias: Double
    /// One weight per `PromptShape` feature (`PromptShape.names`).
    public var weights: [Double]
    /// Ridge penalty chosen by cross-validation.
    public var ridge: Double
    public var entries: [EntryCurve]
    /// Cross-fitted Brier score of the entries' probabilities on the training items, and of each
    /// entry's task-level quality (no per-request signal): the build ships the estimator only
    /// when the first is at least `requiredImprovement` lower.
    public var brier: Double
    public var constantBrier: Double
    /// Training items (with a prompt and at least one score).
    public var items: Int
    /// Routing the training items by their out-of-fold probabilities against the task's table
    /// pick on the same items: what decides whether the build ships the estimator.
    package var tableCheck: TableCheck?

    package struct TableCheck: Codable, Sendable, Equatable {
        /// Routed − table score: mean, 95% interval low and high.
        package var qualityDifference: [Double]
        /// Routed cost ÷ the table's.
        package var costRatio: Double

        package init(qualityDifference: [Double], costRatio: Double) {
            self.qualityDifference = qualityDifference
            self.costRatio = costRatio
        }

        /// Equal quality (the interval's low end within 1 point) at a lower cost.
        package var pays: Bool { qualityDifference.count == 3 && qualityDifference[1] >= -0.01 && costRatio < 1 }
    }

    public struct EntryCurve: Codable, Sendable, Equatable {
        /// `provider/model@effort`.
        public var entry: String
        public var intercept: Double
        public var slope: Double

        public init(entry: String, intercept: Double, slope: Double) {
            self.entry = entry
            self.intercept = intercept
            self.slope = slope
        }
    }

    public init(bias: Double, weights: [Double], ridge: Double, entries: [EntryCurve], brier: Double, constantBrier: Double,
                items: Int) {
        self.bias = bias
        self.weights = weights
        self.ridge = ridge
        self.entries = entries
        self.brier = brier
        self.constantBrier = constantBrier
        self.items = items
    }

    /// The prompt's hardness score (higher: more entries answer it).
    package func hardness(_ shape: [Float]) -> Double {
        var sum = bias
        for (weight, value) in zip(weights, shape) { sum += weight * Double(value) }
        return sum
    }

    /// The relative Brier gain over task-level quality a task's estimator needs to be shipped.
    package static let requiredImprovement = 0.1

    package static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
