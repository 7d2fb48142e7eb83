import Foundation

/// Interval estimates for mean scores on small suites (see REFERENCE.md §5).
package enum Statistics {
    package static let z95 = 1.959964

    /// Mean score with a 95% CI that holds from 0% to 100%: a Wilson score interval on the
    /// effective number of items n_eff = s̄(1 − s̄) / SE², where SE is the clustered standard error
    /// SE = √(Σ_c (Σ_{i∈c} (s_i − s̄))²) / n. For independent 0/1 items n_eff = n and this is the
    /// textbook Wilson interval; clustered items (a shared passage, epochs of one item) count
    /// less (the design effect), and partial credit that varies less than 0/1 counts more. Near
    /// 0% or 100% the interval is skewed away from the edge, where a normal interval is too short
    /// on the inside (it covered 84–87% at a true 91–94%). When every cluster scores the same
    /// (SE = 0) or there is one cluster, it is Wilson on the number of clusters: 30/30 correct
    /// gives [0.886, 1], not [1, 1].
    package static func meanWithCI(scores: [Double], clusters: [String]) -> (mean: Double, low: Double, high: Double)? {
        guard scores.count == clusters.count else { return nil }
        var sums: [String: (sum: Double, count: Int)] = [:]
        for (score, cluster) in zip(scores, clusters) {
            let (sum, count) = sums[cluster] ?? (0, 0)
            sums[cluster] = (sum + score, count + 1)
        }
        return meanWithCI(clusterSums: Array(sums.values))
    }

    /// The same from per-cluster sums and counts, so a catalog over millions of samples never
    /// holds them: Σ_{i∈c} (s_i − s̄) = S_c − n_c·s̄.
    package static func meanWithCI(clusterSums: [(sum: Double, count: Int)]) -> (mean: Double, low: Double, high: Double)? {
        let n = Double(clusterSums.reduce(0) { $0 + $1.count })
        guard n > 0 else { return nil }
        let mean = clusterSums.reduce(0) { $0 + $1.sum } / n
        let se = clusterSums.reduce(0) { total, cluster in
            let deviation = cluster.sum - Double(cluster.count) * mean
            return total + deviation * deviation
        }.squareRoot() / n
        let clusters = Double(clusterSums.count)
        let spread = mean * (1 - mean)
        if se > 1e-12, clusterSums.count > 1, spread > 1e-12 {
            let effective = spread / (se * se)
            let (low, high) = wilson(successes: mean * effective, n: effective)
            return (mean, low, high)
        }
        let (low, high) = wilson(successes: mean * clusters, n: clusters)
        return (mean, low, high)
    }

    /// Wilson score interval at 95% for `successes` out of `n`.
    package static func wilson(successes: Double, n: Double) -> (Double, Double) {
        guard n > 0 else { return (0, 1) }
        let p = successes / n
        let z2 = z95 * z95
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z95 * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The q-th quantile (0…1) by nearest rank.
    package static func percentile(_ values: [Int], _ q: Double) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
