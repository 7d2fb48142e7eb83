import AssayCatalog
import AssayCore

/// The objective applied to one request's estimates: the order to try candidates in, whether
/// a conversation should stay where it is, and the one-line reason.
struct Ranking {
    let objective: RoutingObjective
    let margin: Double
    let table: TaskTable
    let estimates: [Double]
    let eligible: [Bool]
    /// The highest estimate among eligible candidates, and the bar `cheapest` applies.
    let topEstimate: Double
    let eligibleCount: Int

    init(objective: RoutingObjective, margin: Double, table: TaskTable, estimates: [Double], eligible: [Bool]) {
        self.objective = objective
        self.margin = margin
        self.table = table
        self.estimates = estimates
        self.eligible = eligible
        var top = -Double.infinity
        var count = 0
        for index in estimates.indices where eligible[index] {
            top = max(top, estimates[index])
            count += 1
        }
        self.topEstimate = top
        self.eligibleCount = count
    }

    var bar: Double { topEstimate - margin - 1e-12 }

    func utility(_ index: Int, saving: Double = 0) -> Double {
        guard case .utility(let lambda) = objective else { return estimates[index] }
        return estimates[index] - lambda * (table.costUSD[index] - saving)
    }

    /// A candidate's place in the objective's order, smallest first: plain numbers, so ranking
    /// hundreds of candidates touches no strings or references.
    struct Key: Comparable {
        var group: Int
        var primary: Double
        var secondary: Double
        var index: Int

        static func < (a: Key, b: Key) -> Bool {
            (a.group, a.primary, a.secondary, a.index) < (b.group, b.primary, b.secondary, b.index)
        }
    }

    func key(_ index: Int) -> Key {
        let cost = Double(table.costNusd[index])
        switch objective {
        case .cheapest:
            // Within the margin of the top estimate: by cost; below it, by estimate.
            return estimates[index] >= bar ? Key(group: 0, primary: cost, secondary: -estimates[index], index: index)
                                           : Key(group: 1, primary: -estimates[index], secondary: cost, index: index)
        case .best:
            return Key(group: 0, primary: -estimates[index], secondary: cost, index: index)
        case .utility:
            return Key(group: 0, primary: -utility(index), secondary: cost, index: index)
        }
    }

    /// The first `count` eligible candidates in the objective's order.
    func top(_ count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var kept: [Key] = []
        kept.reserveCapacity(count)
        let cheapest = objective == .cheapest
        let bar = bar
        for index in estimates.indices where eligible[index] {
            // The common case for `cheapest`, on plain numbers: a candidate that cannot beat the
            // last kept one (within the margin and cheaper) is skipped before its key is built.
            if cheapest, kept.count == count, kept[count - 1].group == 0,
               estimates[index] < bar || Double(table.costNusd[index]) > kept[count - 1].primary { continue }
            let candidate = key(index)
            // Replace the last kept (or append), then move it up: no array insertions.
            if kept.count == count {
                guard candidate < kept[count - 1] else { continue }
                kept[count - 1] = candidate
            } else {
                kept.append(candidate)
            }
            var position = kept.count - 1
            while position > 0 && candidate < kept[position - 1] {
                kept.swapAt(position, position - 1)
                position -= 1
            }
        }
        return kept.map(\.index)
    }

    /// Whether a conversation on `previous` should stay there rather than move to `chosen`: the
    /// prompt-cache saving it would lose by switching is larger than what the switch saves, and
    /// staying still meets the objective's quality test.
    func shouldStay(on previous: Int, over chosen: Int, cachedTokens: Int) -> Bool {
        let saving = Double(cachedTokens) * Double(table.candidates[previous].cachedInputSavingNusdPerMtok) / 1e6
        guard saving > 0 else { return false }
        switch objective {
        case .cheapest:
            return estimates[previous] >= bar && Double(table.costNusd[previous]) - saving < Double(table.costNusd[chosen])
        case .best:
            return estimates[previous] >= estimates[chosen] - 1e-12
        case .utility:
            return utility(previous, saving: saving / 1e9) > utility(chosen)
        }
    }

    func reason(for decision: Decision, chosen: Int, hash: String) -> String {
        let candidate = table.candidates[chosen]
        var text = "task \(decision.task) (\(decision.taskSource)"
        if decision.taskSource == "classifier" { text += " \(Format.percent(decision.taskConfidence))" }
        if let plausible = decision.plausibleTasks {
            text += "; unsure, estimates mixed over " + plausible.map { "\($0.task) \(Format.percent($0.probability))" }.joined(separator: ", ")
        }
        text += "); "
        if let excluded = decision.contextExcluded, let needed = decision.contextNeeded {
            text += "\(excluded.count) entr\(excluded.count == 1 ? "y" : "ies") left out: context window under the request's \(needed) tokens; "
        }
        let ofN = "of \(eligibleCount)"
        if decision.sticky, let switchTo = decision.fallbacks.first {
            text += "kept on the conversation's entry: its prompt cache saves more than switching to \(switchTo.name) would"
        } else {
            switch objective {
            case .cheapest:
                text += "cheapest \(ofN) within \(Format.points(margin)) of the top estimate \(Format.percent(topEstimate))"
            case .best:
                text += "highest estimate \(ofN)"
            case .utility(let lambda):
                text += "highest quality − \(lambda) × cost \(ofN)"
            }
        }
        text += ": \(candidate.name) est \(Format.percent(decision.estimatedQuality)) (task \(Format.percent(candidate.quality)), "
            + "\(decision.neighbours) near item\(decision.neighbours == 1 ? "" : "s")), \(Money(nanoUSD: candidate.costNusd))/task; "
            + "catalog \(hash.prefix(12))"
        return text
    }
}
