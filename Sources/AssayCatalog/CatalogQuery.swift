import AssayCatalogFormat
import AssayCore

/// Questions asked of a built catalog.
package enum CatalogQuery {
    /// Constraints from `--min-quality` and `--max-cost`.
    package struct Constraints: Sendable, Equatable {
        package var minQuality: Double?
        package var maxCostNusd: Int64?

        package init(minQuality: Double? = nil, maxCostNusd: Int64? = nil) {
            self.minQuality = minQuality
            self.maxCostNusd = maxCostNusd
        }
    }

    /// The answer to `assay catalog best --task T`.
    package struct BestAnswer: Codable, Sendable {
        package var task: String
        package var model: String
        package var effort: String
        package var quality: Double
        package var qualityCi: [Double]?
        package var verdict: Verdict?
        package var costPerTaskNusd: Int64
        package var costPerTaskUsd: String
        package var costPerSolvedNusd: Int64?
        package var n: Int
        package var margin: Double
        package var objective: String
        package var best: CatalogDocument.EntryRef
        package var bestQuality: Double
        package var reason: String
        package var catalogSha256: String
        /// The entry's posterior probability of being within the margin of the best (the best
        /// drawn per posterior sample): what the default rule used.
        package var probabilityWithinMargin: Double?
        /// With the default rule: true when the entry is certified (probability ≥ 95%), false when
        /// nothing was and the small-sample rule chose. Absent with --min-quality or another objective.
        package var certified: Bool?
        /// `certified` or `most-probably-within-margin` (the small-sample rule).
        package var decisionRule: String?
    }

    /// The entry `objective` selects among `entries`, with the reason, or nil when none qualifies.
    /// The level at which an entry is certified within the margin of the best.
    package static let confidence = 0.95
    /// When nothing is certified, entries this close to the highest probability count as tied
    /// with it: entries that agree on every item differ only by Monte Carlo noise (about ±0.01
    /// from 4,000 draws, more for the top of several), and the cheapest of them is taken.
    package static let probabilityTolerance = 0.1

    /// Whether `entry` is certified within the margin of the best: its posterior probability is
    /// at least `confidence` (catalogs without probabilities: a `best` or `non-inferior` verdict).
    static func isCertified(_ entry: CatalogDocument.Entry) -> Bool {
        if let p = entry.probabilityWithinMargin { return p >= confidence - 1e-12 }
        return entry.verdict == .best || entry.verdict == .nonInferior
    }

    /// The entry `objective` selects among `entries`, with the reason and whether the choice is
    /// certified within the margin, or nil when none qualifies. `floor`: only entries whose 95%
    /// quality interval's lower bound reaches it.
    static func choose(_ entries: [CatalogDocument.Entry], objective: Objective, best: CatalogDocument.EntryRef?,
                       constraints: Constraints = Constraints(), floor: Double? = nil, margin: Double = 0.02)
        -> (entry: CatalogDocument.Entry, reason: String, certified: Bool?)? {
        guard let best, let bestEntry = entries.first(where: { $0.model == best.model && $0.effort == best.effort }),
              let bestQuality = bestEntry.quality else { return nil }
        var candidates = entries.filter { $0.quality != nil && clearsFloor($0, floor) }
        var rule: String
        var certified: Bool?
        if let minimum = constraints.minQuality {
            candidates = candidates.filter { $0.quality! >= minimum - 1e-12 }
            rule = "with quality at least \(Format.percent(minimum))"
        } else if objective == .cheapest {
            let shown = candidates.filter(isCertified)
            let bestText = "\(best.key), \(Format.percent(bestQuality))"
            if !shown.isEmpty || !candidates.contains(where: { $0.probabilityWithinMargin != nil }) {
                candidates = shown
                certified = true
                rule = "shown non-inferior to the best (\(bestText))"
            } else {
                // Nothing certified: the stated rule for small samples. Take the entries most
                // probably within the margin of the best (the best's uncertainty included), and
                // among those the cheapest.
                let top = candidates.compactMap(\.probabilityWithinMargin).max() ?? 0
                candidates = candidates.filter { ($0.probabilityWithinMargin ?? 0) >= top - probabilityTolerance }
                certified = false
                let shared = candidates.map(\.items).max() ?? 0
                rule = "most probably within \(Format.points(margin)) of the best (\(bestText)); "
                    + "none is shown non-inferior at 95% on \(shared) items, so the rule is the highest posterior "
                    + "probability of being within the margin (P = \(Money.fixed(top, digits: 2)), ties within "
                    + "\(Money.fixed(probabilityTolerance, digits: 2)) to the cheaper)"
            }
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
        let count = "\(candidates.count) entr\(candidates.count == 1 ? "y" : "ies")"
        switch objective {
        case .cheapest:
            chosen = candidates.min { ($0.costPerTaskNusd, -$0.quality!) < ($1.costPerTaskNusd, -$1.quality!) }
            reason = "cheapest of \(count) \(rule)"
        case .best:
            chosen = candidates.max { ($0.quality!, -$0.costPerTaskNusd) < ($1.quality!, -$1.costPerTaskNusd) }
            reason = "highest quality of \(count) \(rule)"
        case .utility(let lambda):
            func utility(_ e: CatalogDocument.Entry) -> Double { e.quality! - lambda * Money(nanoUSD: e.costPerTaskNusd).dollars }
            chosen = candidates.max { (utility($0), -$0.costPerTaskNusd) < (utility($1), -$1.costPerTaskNusd) }
            reason = "highest quality − \(lambda) × cost of \(count) \(rule)"
        }
        guard let chosen else { return nil }
        if chosen.model == best.model && chosen.effort == best.effort {
            reason += "; it is the best itself"
        } else {
            let ratio = chosen.costPerTaskNusd > 0 ? Double(bestEntry.costPerTaskNusd) / Double(chosen.costPerTaskNusd) : 0
            reason += "; quality \(Format.percent(chosen.quality!)) at \(chosen.costPerTaskUsd) per task"
                + (ratio > 1 ? ", \(Format.ratio(ratio)) cheaper than the best" : "")
        }
        if let p = chosen.probabilityWithinMargin, certified != nil {
            reason += " (P within the margin \(Money.fixed(p, digits: 2))"
            if let comparison = chosen.comparison {
                reason += "; paired difference \(Format.signedPoints(comparison.meanDifference)) on \(comparison.sharedItems) items"
            }
            reason += ")"
        } else if let comparison = chosen.comparison {
            reason += " (paired difference \(Format.signedPoints(comparison.meanDifference)) on \(comparison.sharedItems) items)"
        }
        return (chosen, reason, certified)
    }

    /// Whether `entry` is shown to reach `floor`: the lower bound of its 95% interval (the point
    /// estimate when it has none) is at least the floor.
    static func clearsFloor(_ entry: CatalogDocument.Entry, _ floor: Double?) -> Bool {
        guard let floor, floor > 0 else { return true }
        guard let quality = entry.quality else { return false }
        return (entry.qualityCi?.first ?? quality) >= floor - 1e-12
    }

    /// Why a task has no pick when no entry clears `floor`; nil when one does.
    static func belowFloor(_ entries: [CatalogDocument.Entry], best: CatalogDocument.EntryRef, floor: Double?) -> String? {
        guard let floor, !entries.contains(where: { $0.quality != nil && clearsFloor($0, floor) }),
              let bestEntry = entries.first(where: { $0.model == best.model && $0.effort == best.effort }),
              let quality = bestEntry.quality else { return nil }
        let ci = bestEntry.qualityCi.map { ", 95% CI \(Format.percent($0[0]))–\(Format.percent($0[1]))" } ?? ""
        return "no entry is shown to clear the quality floor of \(Format.percent(floor)) (the lower bound of its 95% interval); "
            + "the best, \(best.key), measures \(Format.percent(quality))\(ci)"
    }

    /// Answers `assay catalog best`.
    package static func best(in document: CatalogDocument, task: String, objective: Objective = .cheapest,
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
        if let why = belowFloor(section.entries, best: bestRef, floor: document.minQuality) {
            throw AssayError(.catalog, "task '\(task)' has no pick: \(why)",
                             hint: "measure stronger models or more items, or rebuild with 'assay catalog build --min-quality' to lower the floor")
        }
        guard let (entry, reason, certified) = choose(section.entries, objective: objective, best: bestRef, constraints: constraints,
                                                      floor: document.minQuality, margin: document.margin) else {
            throw AssayError(.notFound, "no entry for task '\(task)' meets the constraints",
                             hint: "loosen --min-quality or --max-cost; 'assay catalog show --task \(task)' lists every entry")
        }
        return BestAnswer(task: task, model: entry.model, effort: entry.effort, quality: entry.quality ?? 0,
                          qualityCi: entry.qualityCi, verdict: entry.verdict, costPerTaskNusd: entry.costPerTaskNusd,
                          costPerTaskUsd: entry.costPerTaskUsd, costPerSolvedNusd: entry.costPerSolvedNusd, n: entry.n,
                          margin: document.margin, objective: objective.name, best: bestRef,
                          bestQuality: bestEntry.quality ?? 0, reason: reason, catalogSha256: document.contentSha256,
                          probabilityWithinMargin: entry.probabilityWithinMargin, certified: certified,
                          decisionRule: certified.map { $0 ? "certified" : "most-probably-within-margin" })
    }
}

extension Format {
    package static func signedPoints(_ value: Double) -> String {
        (value >= 0 ? "+" : "−") + Money.fixed(abs(value) * 100, digits: 1) + " points"
    }
}
