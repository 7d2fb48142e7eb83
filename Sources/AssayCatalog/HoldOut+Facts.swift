import AssayCatalogFormat
import AssayCore
import AssayStore

/// Held-out items from the store's sample facts (the builder's side of `HoldOut`).
extension HoldOut {
    /// An entry's running sums on one item.
    struct Sums {
        var score = 0.0, cost = 0.0, count = 0
    }

    /// Groups `facts` (the held-out ones) per item; samples without an answer are left out.
    public static func items(facts: some Sequence<SampleFact>, prices: [ModelRef: PriceSheet], prompts: [ItemRef: String])
        -> [Item] {
        var sums: [ItemRef: (task: String, entries: [String: Sums])] = [:]
        for fact in facts where fact.status == .ok {
            let ref = ItemRef(suite: fact.suite, item: fact.itemKey)
            let cost = prices[fact.modelRef].map { $0.cost(of: fact.usage).nanoUSD } ?? fact.costNusd
            let name = EntryKey(model: fact.modelRef.description, effort: fact.effort).description
            var slot = sums[ref]?.entries[name] ?? Sums()
            slot.score += fact.score ?? 0
            slot.cost += Double(cost)
            slot.count += 1
            if sums[ref] == nil { sums[ref] = (fact.task, [:]) }
            sums[ref]!.entries[name] = slot
        }
        return sums.keys.sorted().map { ref in
            let (task, entries) = sums[ref]!
            return Item(task: task, item: ref, prompt: prompts[ref], outcomes: entries.mapValues {
                Outcome(score: $0.score / Double($0.count), costNusd: $0.cost / Double($0.count))
            })
        }
    }

    /// `folds` splits of `facts` by cluster (by item when it has none): each item is held out in
    /// exactly one, and that split's catalog (built by `builder`, with its prompts and prices)
    /// never sees it or its cluster.
    public static func splits(facts: [SampleFact], folds: Int, builder: CatalogBuilder) -> [Split] {
        // Items sharing a cluster (a passage) are held out together: a router trained on one of
        // them must not be tested on its sibling.
        let byFold = Dictionary(grouping: facts) {
            fold(of: ItemRef(suite: $0.suite, item: $0.cluster.map { "cluster:" + $0 } ?? $0.itemKey), folds: folds)
        }
        return (0..<folds).map { held in
            let training = byFold.filter { $0.key != held }.values.flatMap { $0 }
            return Split(training: builder.build(facts: training),
                         items: items(facts: byFold[held] ?? [], prices: builder.prices, prompts: builder.prompts))
        }
    }
}
