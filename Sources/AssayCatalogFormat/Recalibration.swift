import Foundation

/// A monotone map from one estimator's raw success probability to the rate observed on items it
/// did not see (docs/router.md, "Recalibration"): isotonic regression (pool adjacent violators)
/// of cross-fitted (predicted, observed) pairs, kept as the pooled blocks' centroids and read by
/// linear interpolation between them, so it is strictly increasing where the raw estimates are
/// (no two candidates tie that did not tie before) and costs a binary search per candidate.
public struct Recalibration: Codable, Sendable, Equatable {
    /// `nearest-items`, `prompt-logistic` or `task-quality` (`Estimator.allCases`).
    public var estimator: String
    /// Knots: raw probabilities, strictly increasing, each in [0, 1].
    public var predicted: [Double]
    /// The observed rate at each knot, non-decreasing, each in [0, 1].
    public var observed: [Double]
    /// Cross-fitted pairs it was fitted on.
    public var pairs: Int
    /// Brier score of those pairs before and after the map (in-sample for the map, held out for the estimator).
    public var brierBefore: Double
    public var brierAfter: Double

    public init(estimator: String, predicted: [Double], observed: [Double], pairs: Int, brierBefore: Double, brierAfter: Double) {
        self.estimator = estimator
        self.predicted = predicted
        self.observed = observed
        self.pairs = pairs
        self.brierBefore = brierBefore
        self.brierAfter = brierAfter
    }

    /// The estimators a catalog may recalibrate.
    public enum Estimator: String, CaseIterable, Sendable {
        case nearestItems = "nearest-items"
        case promptLogistic = "prompt-logistic"
        case taskQuality = "task-quality"
    }

    /// Fewer cross-fitted pairs than this and an estimator ships no map.
    package static let minimumPairs = 200
    /// At most this many knots (adjacent blocks are merged by weight beyond it): a knot resting on
    /// a 24th of the pairs moves little with the draw (±2 points at 10,000 pairs), where
    /// isotonic regression's own blocks chase it.
    package static let maximumKnots = 24
    /// The slope beyond the end knots, as a share of the way to 0 or 1.
    static let tilt = 0.01
    /// Pairs a knot rests on at least (or a 20th of the pairs, when fewer than 2,000).
    package static let minimumBlock = 100

    /// The calibrated probability: linear between knots; beyond the first and last knot, the end
    /// knot's rate, tilted by at most 1% of the way toward 0 or 1 so the map stays strictly
    /// increasing over [0, 1]. (Not toward (0, 0) and (1, 1): an estimate of 1% on an item the
    /// entry answers one time in ten must read 10%, not less.)
    @inline(__always)
    package func apply(_ p: Double) -> Double {
        let count = predicted.count
        guard count > 0 else { return p }
        if p <= predicted[0] {
            let (x, y) = (predicted[0], observed[0])
            return x > 0 ? y * (1 - Self.tilt * (x - max(0, p)) / x) : y
        }
        if p >= predicted[count - 1] {
            let (x, y) = (predicted[count - 1], observed[count - 1])
            return x < 1 ? y + Self.tilt * (1 - y) * (min(1, p) - x) / (1 - x) : y
        }
        var (low, high) = (0, count - 1)
        while high - low > 1 {
            let middle = (low + high) / 2
            if predicted[middle] <= p { low = middle } else { high = middle }
        }
        let t = (p - predicted[low]) / (predicted[high] - predicted[low])
        return observed[low] + t * (observed[high] - observed[low])
    }

    /// What is wrong with the map, for the load check; nil when it is usable.
    package var problem: String? {
        guard Estimator(rawValue: estimator) != nil else {
            return "estimator '\(estimator)' is not one of \(Estimator.allCases.map(\.rawValue).joined(separator: ", "))"
        }
        guard !predicted.isEmpty, predicted.count == observed.count else {
            return "predicted and observed must be non-empty and of the same length (\(predicted.count) and \(observed.count))"
        }
        guard (predicted + observed).allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }) else {
            return "every knot must be a number in [0, 1]"
        }
        guard zip(predicted, predicted.dropFirst()).allSatisfy({ $0 < $1 }) else { return "predicted must be strictly increasing" }
        guard zip(observed, observed.dropFirst()).allSatisfy({ $0 <= $1 }) else { return "observed must be non-decreasing" }
        return nil
    }

    /// Fits the map to cross-fitted pairs; nil when there are fewer than `minimumPairs`.
    /// Deterministic: the pairs are sorted (prediction, then observation) before pooling.
    package static func fit(_ estimator: Estimator, pairs: [(predicted: Double, observed: Double)]) -> Recalibration? {
        guard pairs.count >= minimumPairs else { return nil }
        let sorted = pairs.map { (min(1, max(0, $0.predicted)), min(1, max(0, $0.observed))) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        // Pool adjacent violators: blocks of (sum of x, sum of y, weight), block means non-decreasing.
        var blocks: [(x: Double, y: Double, w: Double)] = []
        for (x, y) in sorted {
            blocks.append((x, y, 1))
            while blocks.count > 1 {
                let last = blocks[blocks.count - 1], previous = blocks[blocks.count - 2]
                // Pool when the means violate order, and pool equal predictions so knots stay distinct.
                guard previous.y / previous.w >= last.y / last.w || previous.x / previous.w >= last.x / last.w - 1e-12 else { break }
                blocks.removeLast(2)
                blocks.append((previous.x + last.x, previous.y + last.y, previous.w + last.w))
            }
        }
        // Merge runs of adjacent blocks until each holds `minimumBlock` pairs (and there are at
        // most `maximumKnots`): still monotone, and no knot rests on a handful of pairs (a block of
        // five failures at the bottom would map every low estimate to 0).
        let target = max(min(Double(minimumBlock), Double(sorted.count) / 20), Double(sorted.count) / Double(maximumKnots))
        var merged: [(x: Double, y: Double, w: Double)] = []
        var running: (x: Double, y: Double, w: Double) = (0, 0, 0)
        for block in blocks {
            running = (running.x + block.x, running.y + block.y, running.w + block.w)
            if running.w >= target { merged.append(running); running = (0, 0, 0) }
        }
        if running.w > 0 {
            if let last = merged.popLast() { running = (running.x + last.x, running.y + last.y, running.w + last.w) }
            merged.append(running)
        }
        blocks = merged
        var predicted: [Double] = [], observed: [Double] = []
        for block in blocks {
            let x = rounded(block.x / block.w), y = rounded(block.y / block.w)
            if let last = predicted.last, x <= last { continue }
            predicted.append(x)
            observed.append(max(observed.last ?? 0, y))
        }
        var map = Recalibration(estimator: estimator.rawValue, predicted: predicted, observed: observed, pairs: sorted.count,
                                brierBefore: 0, brierAfter: 0)
        map.brierBefore = rounded(sorted.reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / total(sorted.count))
        map.brierAfter = rounded(sorted.reduce(0) { let p = map.apply($1.0); return $0 + (p - $1.1) * (p - $1.1) } / total(sorted.count))
        return map
    }

    private static func total(_ count: Int) -> Double { Double(max(1, count)) }
    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}
