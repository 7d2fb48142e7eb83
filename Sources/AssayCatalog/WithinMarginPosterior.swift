import AssayCore
import Foundation

/// The catalog's decision rule for small samples: for each entry, the posterior probability
/// that its quality is within the margin of the task's best, with the best's own uncertainty
/// counted (the best is drawn per posterior sample, not fixed at the top observed score).
///
/// The model is a Bayesian bootstrap over item clusters with a Dirichlet-process prior: each
/// posterior draw gives every observed cluster (an item, or the items sharing a passage) a weight
/// from Dirichlet(1, …, 1) and one unseen pseudo-item a weight of concentration `priorItems`, on
/// which every entry scores an independent Uniform(0, 1). Entries share the weights, so the
/// comparison is paired; the pseudo-item stands for the items not yet asked, so perfect agreement
/// on 30 items does not certify a 2-point margin (it is P ≈ 0.6–0.8), while on 150 it does.
/// For 0/1 scores this is the Dirichlet posterior on the entries' joint outcome table.
package enum WithinMarginPosterior {
    package static let draws = 4000
    /// Weight of the prior's unseen pseudo-item, in items.
    package static let priorItems = 1.0

    /// `scores[e]`: entry e's mean score per item; `clusters`: items sharing a cluster number
    /// (an item without one is its own). Nil for an entry with no scored item. Deterministic
    /// for the same inputs and `seed`.
    package static func probabilities(scores: [[Int64: Double]], clusters: [Int64: Int], margin: Double,
                                     seed: String) -> [Double?] {
        guard let table = Table(scores: scores, clusters: clusters) else { return scores.map { _ in nil } }
        var generator = Generator(seed: StableHash.hash(["within-margin", seed]))
        let within = count(sums: table.sums, counts: table.counts, shapes: nil, entries: table.entries, units: table.units,
                           margin: margin, generator: &generator)
        return scores.indices.map { scores[$0].isEmpty ? nil : probability(within: within[$0]) }
    }

    /// The share of draws within the margin, to 4 decimals.
    static func probability(within: Int) -> Double { (Double(within) / Double(draws) * 10_000).rounded() / 10_000 }

    /// Score sums and counts per (entry, unit), laid out `e * units + u`: one unit per cluster, or
    /// per lone item. Nil when there is no entry or no item.
    struct Table {
        var sums: [Double], counts: [Double]
        var entries: Int, units: Int

        init?(scores: [[Int64: Double]], clusters: [Int64: Int]) {
            var unitOf: [Int64: Int] = [:]
            var clusterUnit: [Int: Int] = [:]
            var units = 0
            for item in Set(scores.flatMap(\.keys)).sorted() {
                if let cluster = clusters[item] {
                    if let unit = clusterUnit[cluster] { unitOf[item] = unit; continue }
                    clusterUnit[cluster] = units
                }
                unitOf[item] = units
                units += 1
            }
            guard !scores.isEmpty, units > 0 else { return nil }
            self.entries = scores.count
            self.units = units
            sums = [Double](repeating: 0, count: entries * units)
            counts = [Double](repeating: 0, count: entries * units)
            for (e, itemScores) in scores.enumerated() {
                for (item, score) in itemScores {
                    let unit = unitOf[item]!
                    sums[e * units + unit] += score
                    counts[e * units + unit] += 1
                }
            }
        }
    }

    /// Per posterior draw, which entries are within `margin` of the top; returns the counts.
    /// `shapes[u]`: the Dirichlet parameter of unit u (nil: 1 for every unit, the observed data).
    static func count(sums: [Double], counts: [Double], shapes: [Double]?, entries: Int, units: Int, margin: Double,
                      generator: inout Generator) -> [Int] {
        var within = [Int](repeating: 0, count: entries)
        var weights = [Double](repeating: 0, count: units)
        var quality = [Double](repeating: 0, count: entries)
        for _ in 0..<draws {
            if let shapes {
                for u in 0..<units { weights[u] = generator.gamma(shape: shapes[u]) }
            } else {
                for u in 0..<units { weights[u] = generator.exponential() }
            }
            let prior = generator.exponential() * priorItems
            var top = -Double.infinity
            for e in 0..<entries {
                var numerator = 0.0, denominator = 0.0
                let base = e * units
                for u in 0..<units {
                    numerator += weights[u] * sums[base + u]
                    denominator += weights[u] * counts[base + u]
                }
                quality[e] = (numerator + prior * generator.unit()) / (denominator + prior)
                top = max(top, quality[e])
            }
            for e in 0..<entries where quality[e] >= top - margin - 1e-12 { within[e] += 1 }
        }
        return within
    }

    /// SplitMix64: fast, deterministic on every machine.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            return StableHash.mix(state)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
        mutating func exponential() -> Double { -log(1 - unit()) }
        mutating func normal() -> Double {
            (-2 * log(1 - unit())).squareRoot() * cos(2 * Double.pi * unit())
        }
        /// Gamma(shape, 1) for shape ≥ 1 (Marsaglia and Tsang); shape 1 is the exponential.
        mutating func gamma(shape: Double) -> Double {
            if shape == 1 { return exponential() }
            let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
            while true {
                let x = normal()
                let v = (1 + c * x) * (1 + c * x) * (1 + c * x)
                guard v > 0 else { continue }
                if log(1 - unit()) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
            }
        }
    }
}
