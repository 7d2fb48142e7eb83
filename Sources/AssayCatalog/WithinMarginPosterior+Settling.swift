import AssayCore
import Foundation

extension WithinMarginPosterior {
    /// The growth factors tried, in order: 2^(j/5) for j = 1…30, from 1.15× to 64× the items.
    package static let settleFactors: [Double] = (1...30).map { pow(2, Double($0) / 5) }

    /// For each entry in `undecided`: about how many more items (beyond the task's `items`) would
    /// settle its verdict under the catalog's rule (`CatalogBuilder.verdict` of the posterior
    /// probability of being within the margin of the best), were the new items like the ones
    /// measured. Nil for an entry not in `undecided`, and for one that 64× the items would not
    /// settle (its observed difference from the best sits on the margin).
    ///
    /// It is the posterior of `probabilities` with the observed data counted f times: f× as many
    /// clusters, each like one observed, is Dirichlet weights of f per observed cluster, drawn as
    /// Gamma(f) (a sum of f exponentials); identical clusters are pooled, which changes nothing
    /// in distribution (Gamma(a) + Gamma(b) = Gamma(a + b)). The unseen pseudo-item keeps its
    /// weight. The answer is the smallest factor in `settleFactors` at which the verdict leaves
    /// undecided: (f − 1) × items, rounded up. More epochs on the same items add no cluster, so
    /// they cannot settle a verdict under this rule.
    ///
    /// `probabilities`: the entries' probabilities now. An entry at 0 was never within the margin
    /// of the top in 4,000 draws, so it is never the top either, and is left out of the draws.
    package static func itemsToSettle(scores: [[Int64: Double]], clusters: [Int64: Int], margin: Double, seed: String,
                                     probabilities: [Double?], undecided: Set<Int>, items: Int) -> [Int?] {
        var result = [Int?](repeating: nil, count: scores.count)
        let kept = scores.indices.filter { undecided.contains($0) || ($0 < probabilities.count && (probabilities[$0] ?? 0) > 0) }
        guard !undecided.isEmpty, let table = Table(scores: kept.map { scores[$0] }, clusters: clusters) else { return result }
        let pooled = table.pooled()
        var open = Set(kept.indices.filter { undecided.contains(kept[$0]) })
        var generator = Generator(seed: StableHash.hash(["within-margin-settle", seed]))
        for factor in settleFactors where !open.isEmpty {
            let within = count(sums: pooled.table.sums, counts: pooled.table.counts, shapes: pooled.multiplicity.map { $0 * factor },
                               entries: pooled.table.entries, units: pooled.table.units, margin: margin, generator: &generator)
            for k in open.sorted() where CatalogBuilder.verdict(probabilityWithin: probability(within: within[k])) != .undecided {
                result[kept[k]] = Int((Double(items) * (factor - 1)).rounded(.up))
                open.remove(k)
            }
        }
        return result
    }
}

extension WithinMarginPosterior.Table {
    /// Units with the same sums and counts for every entry, pooled into one; `multiplicity[u]`:
    /// how many units the pooled unit u stands for.
    func pooled() -> (table: WithinMarginPosterior.Table, multiplicity: [Double]) {
        var index: [[Double]: Int] = [:]
        var columns: [[Double]] = []
        var multiplicity: [Double] = []
        for u in 0..<units {
            let column = (0..<entries).flatMap { [sums[$0 * units + u], counts[$0 * units + u]] }
            if let existing = index[column] {
                multiplicity[existing] += 1
            } else {
                index[column] = columns.count
                columns.append(column)
                multiplicity.append(1)
            }
        }
        var result = self
        result.units = columns.count
        result.sums = [Double](repeating: 0, count: entries * columns.count)
        result.counts = result.sums
        for (u, column) in columns.enumerated() {
            for e in 0..<entries {
                result.sums[e * columns.count + u] = column[2 * e]
                result.counts[e * columns.count + u] = column[2 * e + 1]
            }
        }
        return (result, multiplicity)
    }
}
