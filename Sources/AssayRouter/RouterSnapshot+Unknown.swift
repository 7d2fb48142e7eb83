import AssayCatalogFormat

extension RouterSnapshot {
    /// Why a classified prompt counts as unknown under `options.unknownPrompts`, or nil when it
    /// does not (or the rule is `mix`, which routes it as any other).
    func unknownReason(_ inferred: Inferred, nearest: Double) -> String? {
        let policy = options.unknownPrompts
        guard policy.rule != .mix, inferred.source == "classifier" else { return nil }
        var text = ""
        if inferred.confidence < policy.confidenceBelow {
            text += "classifier "; Format.appendPercent(inferred.confidence, to: &text)
            text += " under "; Format.appendPercent(policy.confidenceBelow, to: &text)
        }
        if nearest < policy.similarityBelow {
            if !text.isEmpty { text += ", " }
            text += "nearest item similarity \((nearest * 100).rounded() / 100) under \(policy.similarityBelow)"
        }
        return text.isEmpty ? nil : text
    }

    /// The candidates of `table` the unknown-prompt rule prefers, in order, among the eligible.
    /// `robust`: the robust order. `default_entry`: the default entry, then (when a filter such
    /// as `max_tokens` leaves it out) the robust order's entries that cost no more than it on
    /// this task, so an unknown prompt never costs more than the operator chose; only when none
    /// of those is eligible, the rest of the robust order.
    func unknownOrder(table: TaskTable, eligible: [Bool]) -> [Int] {
        var names = robustOrder
        var ceiling = Int64.max
        if case .defaultEntry(let name) = options.unknownPrompts.rule {
            names.insert(name, at: 0)
            if let index = table.byName[name] { ceiling = table.costNusd[index] }
        }
        var order: [Int] = []
        for capped in [true, false] {
            for name in names {
                guard let index = table.byName[name], eligible[index], !order.contains(index),
                      !capped || table.costNusd[index] <= ceiling else { continue }
                order.append(index)
                if order.count > options.maxFallbacks { return order }
            }
            if !order.isEmpty { break }
        }
        return order
    }

    /// Every entry measured on some task, in the `robust` rule's order: first the entries within
    /// `margin` of the best quality on every task (measured on all of them), by mean cost per
    /// task; then the rest by their worst shortfall from a task's best, then mean cost. An entry
    /// not measured on a task falls short there by that task's best quality.
    static func robustOrder(tables: [TaskTable], margin: Double) -> [String] {
        let measured = tables.filter { !$0.candidates.isEmpty }
        let best = measured.map { $0.quality.max() ?? 0 }
        let names = Set(measured.flatMap { $0.candidates.map(\.name) })
        let scored = names.map { name -> (name: String, holds: Bool, shortfall: Double, cost: Double) in
            var (shortfall, cost, counted) = (0.0, 0.0, 0.0)
            for (table, top) in zip(measured, best) {
                guard let index = table.byName[name] else { shortfall = max(shortfall, top); continue }
                shortfall = max(shortfall, top - table.quality[index])
                cost += Double(table.costNusd[index])
                counted += 1
            }
            return (name, shortfall <= margin + 1e-12, shortfall, counted > 0 ? cost / counted : .infinity)
        }
        return scored.sorted {
            if $0.holds != $1.holds { return $0.holds }
            if $0.holds { return ($0.cost, $0.name) < ($1.cost, $1.name) }
            return ($0.shortfall, $0.cost, $0.name) < ($1.shortfall, $1.cost, $1.name)
        }.map(\.name)
    }
}
