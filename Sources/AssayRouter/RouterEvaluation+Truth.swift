import AssayCatalogFormat
import Foundation

/// What `assay router eval` says about each router against the baselines, item by item: paired
/// differences with intervals, the share of the oracle's headroom captured, and whether the
/// predicted success probabilities are calibrated (docs/router.md, "Evaluation").
extension RouterEvaluation {
    /// `policy − against` over the same held-out items.
    package struct PairedComparison: Codable, Sendable, Equatable {
        package var policy: String
        package var against: String
        package var items: Int
        /// Mean score difference (fraction; 0.01 = 1 point), 95% interval over items.
        package var qualityDifference: Interval
        /// Mean cost difference per item, nano-USD, 95% interval over items.
        package var costDifferenceNusd: Interval
        /// The policy's mean cost ÷ the baseline's.
        package var costRatio: Double
        /// The quality difference's interval lies within ±1 point: the costs compare at equal quality.
        package var equalQuality: Bool
        /// (baseline cost − policy cost) ÷ (baseline cost − oracle cost): the share of the saving the
        /// oracle shows is there that the policy takes; nil when the oracle saves nothing.
        package var oracleHeadroomCaptured: Double?
    }

    package struct Interval: Codable, Sendable, Equatable {
        package var mean: Double
        package var low: Double
        package var high: Double
    }

    /// The chosen entry's predicted success probability against its score on the held-out item.
    package struct Calibration: Codable, Sendable, Equatable {
        package var policy: String
        package var predictions: Int
        /// Mean squared difference between prediction and score.
        package var brier: Double
        /// Brier score of predicting each chosen entry's task-level quality: what a per-request
        /// estimate must beat to carry information.
        package var taskQualityBrier: Double
        /// The largest |mean predicted − mean observed| over deciles holding at least
        /// `Calibration.minimumDecile` predictions.
        package var maxDecileGap: Double?
        /// Every decile with at least `minimumDecile` predictions is within `targetGap` (5 points).
        package var withinTarget: Bool = false
        package var deciles: [Decile]

        /// Under this many predictions a decile's gap is not counted: its observed rate's 95%
        /// interval is then wider than ±18 points at a 50% rate (±1.96 × √(0.25 / 30)), so a gap
        /// says more about the draw than about the estimator. Such deciles are still listed, with
        /// their interval.
        package static let minimumDecile = 30
        package static let targetGap = 0.05
    }

    /// Predictions in [low, high): how many, their mean, and the mean score they got, with the
    /// observed rate's 95% Wilson interval.
    package struct Decile: Codable, Sendable, Equatable {
        package var low: Double
        package var high: Double
        package var count: Int
        package var meanPredicted: Double
        package var meanObserved: Double
        package var observedLow: Double = 0
        package var observedHigh: Double = 1
    }

    /// Per-item outcomes of each policy, in the order items were replayed.
    struct ItemRecords {
        var scores: [String: [Double]] = [:]
        var costs: [String: [Double]] = [:]
        var predictions: [String: [(predicted: Double, taskQuality: Double, observed: Double)]] = [:]

        mutating func add(_ policy: String, _ outcome: HoldOut.Outcome?) {
            scores[policy, default: []].append(outcome?.score ?? 0)
            costs[policy, default: []].append(outcome?.costNusd ?? 0)
        }

        mutating func predict(_ policy: String, _ predicted: Double, taskQuality: Double, observed: Double) {
            predictions[policy, default: []].append((predicted, taskQuality, observed))
        }

        func compare(_ policy: String, against: String, oracle: String = "oracle") -> PairedComparison? {
            guard let a = scores[policy], let b = scores[against], a.count == b.count, !a.isEmpty,
                  let ca = costs[policy], let cb = costs[against], let co = costs[oracle] else { return nil }
            let quality = Self.interval(zip(a, b).map { $0 - $1 })
            let cost = Self.interval(zip(ca, cb).map { $0 - $1 })
            let (policyCost, baseCost, oracleCost) = (Self.mean(ca), Self.mean(cb), Self.mean(co))
            return PairedComparison(
                policy: policy, against: against, items: a.count, qualityDifference: quality, costDifferenceNusd: cost,
                costRatio: baseCost > 0 ? policyCost / baseCost : 0,
                equalQuality: quality.low >= -0.01 && quality.high <= 0.01,
                oracleHeadroomCaptured: baseCost - oracleCost > 0 ? (baseCost - policyCost) / (baseCost - oracleCost) : nil)
        }

        func calibration(_ policy: String) -> Calibration? {
            guard let pairs = predictions[policy], !pairs.isEmpty else { return nil }
            let brier = Self.mean(pairs.map { ($0.predicted - $0.observed) * ($0.predicted - $0.observed) })
            let constant = Self.mean(pairs.map { ($0.taskQuality - $0.observed) * ($0.taskQuality - $0.observed) })
            let deciles = (0..<10).compactMap { bin -> Decile? in
                let (low, high) = (Double(bin) / 10, Double(bin + 1) / 10)
                let inside = pairs.filter { min(9, Int($0.predicted * 10)) == bin }
                guard !inside.isEmpty else { return nil }
                let observed = Self.mean(inside.map(\.observed))
                let (lowRate, highRate) = Self.wilson(observed, count: inside.count)
                return Decile(low: low, high: high, count: inside.count, meanPredicted: Self.mean(inside.map(\.predicted)),
                              meanObserved: observed, observedLow: lowRate, observedHigh: highRate)
            }
            let gap = deciles.filter { $0.count >= Calibration.minimumDecile }.map { abs($0.meanPredicted - $0.meanObserved) }.max()
            return Calibration(policy: policy, predictions: pairs.count, brier: brier, taskQualityBrier: constant,
                               maxDecileGap: gap, withinTarget: (gap ?? 0) <= Calibration.targetGap, deciles: deciles)
        }

        /// The 95% Wilson score interval of a rate observed over `count` items.
        static func wilson(_ rate: Double, count: Int) -> (Double, Double) {
            guard count > 0 else { return (0, 1) }
            let (n, z) = (Double(count), 1.96)
            let centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
            let half = z * (rate * (1 - rate) / n + z * z / (4 * n * n)).squareRoot() / (1 + z * z / n)
            return (max(0, centre - half), min(1, centre + half))
        }

        static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

        /// Mean and normal 95% interval of paired differences.
        static func interval(_ differences: [Double]) -> Interval {
            let m = mean(differences)
            guard differences.count > 1 else { return Interval(mean: m, low: m, high: m) }
            let variance = differences.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(differences.count - 1)
            let half = 1.96 * (variance / Double(differences.count)).squareRoot()
            return Interval(mean: m, low: m - half, high: m + half)
        }
    }
}
