import AssayCatalogFormat
import AssayCore

/// The objective applied to one request's estimates: the order to try candidates in, whether
/// a conversation should stay where it is, and the one-line reason.
struct Ranking {
    let objective: Objective
    let margin: Double
    let table: TaskTable
    let estimates: [Double]
    let eligible: [Bool]
    /// The highest estimate among eligible candidates, and the bar `cheapest` applies.
    let topEstimate: Double
    let eligibleCount: Int

    init(objective: Objective, margin: Double, table: TaskTable, estimates: [Double], eligible: [Bool]) {
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
    ///
    /// In three passes, so that few of hundreds of candidates take an unpredictable branch: the
    /// top `count` of every eighth candidate give a bar that the true top `count` all meet; one
    /// branch-free pass lists the candidates that meet it, comparing plain numbers; the top
    /// `count` of those are kept in a small sorted buffer. The order is total (the index breaks
    /// ties), so the result does not depend on the order candidates are seen in.
    func top(_ count: Int) -> [Int] {
        guard count > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Key.self, capacity: count) { kept in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, estimates.count)) { listed in
                var size = 0
                // Keeps `index` if it is among the best `count` seen so far.
                func offer(_ index: Int) {
                    let candidate = key(index)
                    if size == count {
                        guard candidate < kept[count - 1] else { return }
                        kept[count - 1] = candidate
                    } else {
                        kept[size] = candidate
                        size += 1
                    }
                    var position = size - 1
                    while position > 0 && candidate < kept[position - 1] {
                        kept[position] = kept[position - 1]
                        position -= 1
                    }
                    kept[position] = candidate
                }
                let total = min(estimates.count, eligible.count, table.costNusd.count)
                for index in stride(from: 0, to: total, by: 8) where eligible[index] { offer(index) }
                var found = 0
                estimates.withUnsafeBufferPointer { estimates in
                    eligible.withUnsafeBufferPointer { eligible in
                        table.costNusd.withUnsafeBufferPointer { costs in
                            // Without `count` sampled, every eligible candidate is listed.
                            let bar = size == count ? (kept[count - 1].group, kept[count - 1].primary) : (Int.max, Double.infinity)
                            for index in 0..<total {
                                let (group, primary) = head(index, estimate: estimates[index], cost: Double(costs[index]))
                                // Not strictly after the bar on the leading numbers.
                                let meets = group < bar.0 || (group == bar.0 && primary <= bar.1)
                                listed[found] = Int32(truncatingIfNeeded: index)
                                found &+= eligible[index] && meets ? 1 : 0
                            }
                        }
                    }
                }
                size = 0
                for slot in 0..<found { offer(Int(listed[slot])) }
                return (0..<size).map { kept[$0].index }
            }
        }
    }

    /// The group and primary number of `key(index)`, from plain numbers.
    @inline(__always)
    private func head(_ index: Int, estimate: Double, cost: Double) -> (group: Int, primary: Double) {
        switch objective {
        case .cheapest: estimate >= bar ? (0, cost) : (1, -estimate)
        case .best: (0, -estimate)
        case .utility: (0, -utility(index))
        }
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

    /// The one-line reason, written into one reserved string: the decision's hot path, so the
    /// figures are appended in place (`Format.appendPercent`, `Money.appendFixed`) rather than
    /// built as strings and joined.
    func reason(for decision: Decision, chosen: Int, hash: String) -> String {
        let candidate = table.candidates[chosen]
        var text = ""
        text.reserveCapacity(320)
        func percent(_ value: Double) { Format.appendPercent(value, to: &text) }
        func number(_ value: Int) { Money.appendFixed(Double(value), digits: 0, to: &text) }
        text += "task "; text += decision.task; text += " ("; text += decision.taskSource
        if decision.taskSource == "classifier" { text += " "; percent(decision.taskConfidence) }
        if let plausible = decision.plausibleTasks {
            text += "; unsure, estimates mixed over "
            for (index, task) in plausible.enumerated() {
                if index > 0 { text += ", " }
                text += task.task; text += " "; percent(task.probability)
            }
        }
        text += "); "
        if let excluded = decision.contextExcluded, let needed = decision.contextNeeded {
            number(excluded.count); text += excluded.count == 1 ? " entry" : " entries"
            text += " left out: context window under the request's "; number(needed); text += " tokens; "
        }
        if let limit = decision.maxTokens {
            if let excluded = decision.tokensExcluded {
                number(excluded.count); text += excluded.count == 1 ? " entry" : " entries"
                text += " left out: measured reasoning + answer tokens over max_tokens "; number(limit); text += "; "
            }
            if decision.maxTokensUnmet == true {
                text += "no entry fits max_tokens "; number(limit); text += ", kept the smallest measured need; "
            }
        }
        if let policy = decision.unknownPolicy {
            text += "unknown prompt ("; text += decision.unknownBecause ?? ""; text += "): policy "; text += policy
            text += " of "; number(eligibleCount)
        } else if decision.sticky, let switchTo = decision.fallbacks.first {
            text += "kept on the conversation's entry: its prompt cache saves more than switching to "
            text += switchTo.name; text += " would"
        } else {
            switch objective {
            case .cheapest:
                text += "cheapest of "; number(eligibleCount); text += " within "
                Money.appendFixed(margin * 100, digits: 1, to: &text)
                text += " points of the top estimate "; percent(topEstimate)
            case .best:
                text += "highest estimate of "; number(eligibleCount)
            case .utility(let lambda):
                text += "highest quality − \(lambda) × cost of "; number(eligibleCount)
            }
        }
        text += ": "; text += candidate.name; text += " est "; percent(decision.estimatedQuality)
        text += " (task "; percent(candidate.quality); text += ", "
        if decision.estimator != nil {
            text += "prompt-logistic), "
        } else {
            number(decision.neighbours); text += decision.neighbours == 1 ? " near item), " : " near items), "
        }
        Money.appendFormatted(dollars: Money(nanoUSD: candidate.costNusd).dollars, to: &text)
        text += "/task; catalog "; text += hash.prefix(12)
        return text
    }
}
