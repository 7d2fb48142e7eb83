import AssayCatalogFormat
import Foundation

/// Paired comparisons of two entries on the items both answered (REFERENCE.md §5).
package enum PairedStatistics {
    /// One-sided 95% (two-sided 90%) normal quantile, used for non-inferiority.
    package static let z95OneSided = 1.644854

    package struct Difference: Sendable, Equatable {
        package var n: Int
        package var mean: Double
        /// Standard error used for bounds: the clustered SE, floored at √3/n (see `compare`).
        package var se: Double
        /// Variance of the per-item differences, clustered (n × clustered SE²), unfloored.
        package var variance: Double

        /// Bounds of the one-sided 95% tests, clipped to the possible range of a difference.
        package var low: Double { max(-1, mean - PairedStatistics.z95OneSided * se) }
        package var high: Double { min(1, mean + PairedStatistics.z95OneSided * se) }
    }

    /// The mean of `a[item] − b[item]` over shared items, with a clustered standard error.
    ///
    /// When every difference is 0 (two models agreeing on every item) the observed SE is 0, which
    /// would certify equality from any number of items. The "rule of three" bounds the unseen
    /// discordance rate by 3/n at 95%, so the variance is floored at 3/n and the SE at √3/n:
    /// 36 agreeing items certify a 10-point margin, not a 2-point one.
    package static func compare<Item: Hashable & Comparable>(_ a: [Item: Double], _ b: [Item: Double], clusters: [Item: Int] = [:]) -> Difference? {
        let shared = a.keys.filter { b[$0] != nil }.sorted()
        guard !shared.isEmpty else { return nil }
        let n = Double(shared.count)
        let differences = shared.map { a[$0]! - b[$0]! }
        let mean = differences.reduce(0, +) / n
        // Items in a cluster pool their deviations first; an item alone is its own cluster.
        var pooled: [Int: Double] = [:]
        var squares = 0.0
        for (item, difference) in zip(shared, differences) {
            if let cluster = clusters[item] { pooled[cluster, default: 0] += difference - mean } else { squares += (difference - mean) * (difference - mean) }
        }
        for cluster in pooled.keys.sorted() { squares += pooled[cluster]! * pooled[cluster]! }
        let clusteredSE = squares.squareRoot() / n
        return Difference(n: shared.count, mean: mean, se: max(clusteredSE, 3.0.squareRoot() / n),
                          variance: clusteredSE * clusteredSE * n)
    }

    /// The verdict of `difference` (entry − best) at `margin`: non-inferior when the lower bound
    /// is above −margin, inferior when the upper bound is below it, undecided otherwise.
    package static func verdict(_ difference: Difference, margin: Double) -> Verdict {
        if difference.low > -margin { return .nonInferior }
        if difference.high < -margin { return .inferior }
        return .undecided
    }
}

extension Statistics {
    /// Running sums of paired values (cost, score) per sample, enough for the cost intervals.
    package struct CostSums: Sendable, Equatable {
        package var n = 0.0, cost = 0.0, costSquared = 0.0, score = 0.0, scoreSquared = 0.0, costTimesScore = 0.0

        package init() {}

        package mutating func add(cost c: Double, score s: Double) {
            n += 1; cost += c; costSquared += c * c; score += s; scoreSquared += s * s; costTimesScore += c * s
        }

        package mutating func merge(_ other: CostSums) {
            n += other.n; cost += other.cost; costSquared += other.costSquared
            score += other.score; scoreSquared += other.scoreSquared; costTimesScore += other.costTimesScore
        }
    }

    /// Mean cost with a normal 95% interval clipped at 0.
    package static func meanInterval(_ sums: CostSums) -> (mean: Double, low: Double, high: Double)? {
        guard sums.n > 0 else { return nil }
        let mean = sums.cost / sums.n
        let variance = sums.n > 1 ? max(0, (sums.costSquared - sums.n * mean * mean) / (sums.n - 1)) : 0
        let half = z95 * (variance / sums.n).squareRoot()
        return (mean, max(0, mean - half), mean + half)
    }


    /// Σcost ÷ Σscore with a 95% interval by the delta method for a ratio of means.
    package static func ratioInterval(_ sums: CostSums) -> (ratio: Double, low: Double, high: Double)? {
        guard sums.n > 1 else { return nil }
        let n = sums.n
        let meanCost = sums.cost / n, meanScore = sums.score / n
        guard meanScore > 0 else { return nil }
        let ratio = meanCost / meanScore
        let varCost = (sums.costSquared - n * meanCost * meanCost) / (n - 1)
        let varScore = (sums.scoreSquared - n * meanScore * meanScore) / (n - 1)
        let covariance = (sums.costTimesScore - n * meanCost * meanScore) / (n - 1)
        let variance = (varCost + ratio * ratio * varScore - 2 * ratio * covariance) / (n * meanScore * meanScore)
        let half = z95 * max(0, variance).squareRoot()
        return (ratio, max(0, ratio - half), ratio + half)
    }

}
