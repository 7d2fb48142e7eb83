import AssayCatalogFormat
import AssayCore

/// Questions asked of a built catalog.
public enum CatalogQuery {
    /// Constraints from `--min-quality` and `--max-cost`.
    public struct Constraints: Sendable, Equatable {
        public var minQuality: Double?
        public var maxCostNusd: Int64?

        public init(minQuality: Double? = nil, maxCostNusd: Int64? = nil) {
            self.minQuality = minQuality
            self.maxCostNusd = maxCostNusd
        }
    }

    /// The answer to `assay catalog best --task T`.
    public struct BestAnswer: Codable, Sendable {
        public var task: String
        public var model: String
        public var effort: String
        public var quality: Double
        public var qualityCi: [Double]?
        public var verdict: Verdict?
        public var costPerTaskNusd: Int64
        public var costPerTaskUsd: String
        public var costPerSolvedNusd: Int64?
        public var n: Int
        public var margin: Double
        public var objective: String
        public var best: CatalogDocument.EntryRef
        public var bestQuality: Double
        public var reason: String
        public var catalogSha256: String
    }

    /// The entry `objective` selects among `entries`, with the reason, or nil when none qualifies.
    static func choose(_ entries: [CatalogDocument.Entry], objective: Objective, best: CatalogDocument.EntryRef?,
                       constraints: Constraints = Constraints()) -> (entry: CatalogDocument.Entry, reason: String)? {
        guard let best, let bestEntry = entries.first(where: { $0.model == best.model && $0.effort == best.effort }),
              let bestQuality = bestEntry.quality else { return nil }
        var candidates = entries.filter { $0.quality != nil }
        var rule: String
        if let minimum = constraints.minQuality {
            candidates = candidates.filter { $0.quality! >= minimum - 1e-12 }
            rule = "with quality at least \(Format.percent(minimum))"
        } else if objective == .cheapest {
            candidates = candidates.filter { $0.verdict == .best || $0.verdict == .nonInferior }
            rule = "shown non-inferior to the best (\(best.key), \(Format.percent(bestQuality)))"
        } else {
            rule = "measured"
        }
        if let cap = constraints.maxCostNusd {
            candidates = candidates.filter { $0.costPerTaskNusd <= cap }
            rule += ", costing at most \(Money(nanoUSD: cap)) per task"
        }
        // An entry without a price would always look cheapest; prefer priced ones when any is.
        if candidates.contains(where: \.priced) { candidates = candidates.filter(\.priced) }
        let chosen: CatalogDocument.Entry?
        var reason: String
        switch objective {
        case .cheapest:
            chosen = candidates.min { ($0.costPerTaskNusd, -$0.quality!) < ($1.costPerTaskNusd, -$1.quality!) }
            reason = "cheapest of \(candidates.count) entr\(candidates.count == 1 ? "y" : "ies") \(rule)"
        case .best:
            chosen = candidates.max { ($0.quality!, -$0.costPerTaskNusd) < ($1.quality!, -$1.costPerTaskNusd) }
            reason = "highest quality of \(candidates.count) entr\(candidates.count == 1 ? "y" : "ies") \(rule)"
        case .utility(let lambda):
            func utility(_ e: CatalogDocument.Entry) -> Double { e.quality! - lambda * Money(nanoUSD: e.costPerTaskNusd).dollars }
            chosen = candidates.max { (utility($0), -$0.costPerTaskNusd) < (utility($1), -$1.costPerTaskNusd) }
            reason = "highest quality − \(lambda) × cost of \(candidates.count) entr\(candidates.count == 1 ? "y" : "ies") \(rule)"
        }
        guard let chosen else { return nil }
        if chosen.model == best.model && chosen.effort == best.effort {
            reason += "; it is the best itself"
        } else {
            let ratio = chosen.costPerTaskNusd > 0 ? Double(bestEntry.costPerTaskNusd) / Double(chosen.costPerTaskNusd) : 0
            reason += "; quality \(Format.percent(chosen.quality!)) at \(chosen.costPerTaskUsd) per task"
                + (ratio > 1 ? ", \(Format.ratio(ratio)) cheaper than the best" : "")
        }
        if let comparison = chosen.comparison {
            reason += " (paired difference \(Format.signedPoints(comparison.meanDifference)) on \(comparison.sharedItems) items)"
        }
        return (chosen, reason)
    }

    /// Answers `assay catalog best`.
    public static func best(in document: CatalogDocument, task: String, objective: Objective = .cheapest,
                            constraints: Constraints = Constraints()) throws -> BestAnswer {
        guard let section = document.section(task) else {
            let known = document.taskNames.joined(separator: ", ")
            throw AssayError(.notFound, "unknown task '\(task)'",
                             hint: known.isEmpty ? "the catalog has no tasks yet; run 'assay run' then 'assay catalog build'"
                                                 : "known tasks: \(known)")
        }
        guard let bestRef = section.best,
              let bestEntry = section.entries.first(where: { $0.model == bestRef.model && $0.effort == bestRef.effort }) else {
            throw AssayError(.catalog, "task '\(task)' has no entry with a measured quality (every sample failed)",
                             hint: "check the run's errors, then rebuild the catalog")
        }
        guard let (entry, reason) = choose(section.entries, objective: objective, best: bestRef, constraints: constraints) else {
            throw AssayError(.notFound, "no entry for task '\(task)' meets the constraints",
                             hint: "loosen --min-quality or --max-cost; 'assay catalog show --task \(task)' lists every entry")
        }
        return BestAnswer(task: task, model: entry.model, effort: entry.effort, quality: entry.quality ?? 0,
                          qualityCi: entry.qualityCi, verdict: entry.verdict, costPerTaskNusd: entry.costPerTaskNusd,
                          costPerTaskUsd: entry.costPerTaskUsd, costPerSolvedNusd: entry.costPerSolvedNusd, n: entry.n,
                          margin: document.margin, objective: objective.name, best: bestRef,
                          bestQuality: bestEntry.quality ?? 0, reason: reason, catalogSha256: document.contentSha256)
    }
}

extension Format {
    public static func signedPoints(_ value: Double) -> String {
        (value >= 0 ? "+" : "−") + Money.fixed(abs(value) * 100, digits: 1) + " points"
    }
}
