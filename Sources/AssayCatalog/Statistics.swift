import Foundation

/// Interval estimates for mean scores on small suites (see REFERENCE.md §5).
public enum Statistics {
    public static let z95 = 1.959964

    /// Mean score with a 95% CI from the clustered standard error
    /// SE = √(Σ_c (Σ_{i∈c} (s_i − s̄))²) / n. When that SE is 0 (every score equal) or there is one
    /// cluster, the normal interval says nothing, so the Wilson score interval on the number of
    /// clusters is used instead: 30/30 correct gives [0.886, 1], not [1, 1].
    public static func meanWithCI(scores: [Double], clusters: [String]) -> (mean: Double, low: Double, high: Double)? {
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
    public static func meanWithCI(clusterSums: [(sum: Double, count: Int)]) -> (mean: Double, low: Double, high: Double)? {
        let n = Double(clusterSums.reduce(0) { $0 + $1.count })
        guard n > 0 else { return nil }
        let mean = clusterSums.reduce(0) { $0 + $1.sum } / n
        let se = clusterSums.reduce(0) { total, cluster in
            let deviation = cluster.sum - Double(cluster.count) * mean
            return total + deviation * deviation
        }.squareRoot() / n
        if se > 1e-12, clusterSums.count > 1 {
            return (mean, max(0, mean - z95 * se), min(1, mean + z95 * se))
        }
        let clusters = Double(clusterSums.count)
        let (low, high) = wilson(successes: mean * clusters, n: clusters)
        return (mean, low, high)
    }

    /// Wilson score interval at 95% for `successes` out of `n`.
    public static func wilson(successes: Double, n: Double) -> (Double, Double) {
        guard n > 0 else { return (0, 1) }
        let p = successes / n
        let z2 = z95 * z95
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z95 * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The q-th quantile (0…1) by nearest rank.
    public static func percentile(_ values: [Int], _ q: Double) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
