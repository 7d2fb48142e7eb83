import AssayCore
import AssayStore

/// The deterministic split `assay router eval` replays on: items held out of the catalog the
/// router is trained on, with every entry's outcome on them.
public enum HoldOut {
    /// The fold (0..<folds) `item` is held out in: a stable hash of its suite and key, so the
    /// same item falls in the same fold in every run and for every model.
    public static func fold(of item: ItemRef, folds: Int, seed: String = "router-eval") -> Int {
        min(folds - 1, Int(StableHash.unit(seed, item.suite, item.item) * Double(max(1, folds))))
    }

    /// A held-out item and what each entry scored and cost on it.
    public struct Item: Sendable {
        public var task: String
        public var item: ItemRef
        public var prompt: String?
        /// By entry name (`provider/model@effort`): mean score and mean cost over its ok samples.
        public var outcomes: [String: Outcome]
    }

    /// An entry's running sums on one item.
    struct Sums {
        var score = 0.0, cost = 0.0, count = 0
    }

    public struct Outcome: Sendable, Equatable {
        public var score: Double
        /// Mean cost per sample at today's prices, nano-USD.
        public var costNusd: Double

        public init(score: Double, costNusd: Double) {
            self.score = score
            self.costNusd = costNusd
        }
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
}

extension HoldOut {
    /// One fold: the catalog built without its items, and those items' outcomes.
    public struct Split: Sendable {
        public var training: CatalogDocument
        public var items: [Item]
    }

    /// `folds` splits of `facts` by item: each item is held out in exactly one, and that split's
    /// catalog (built by `builder`, with its prompts and prices) never sees it.
    public static func splits(facts: [SampleFact], folds: Int, builder: CatalogBuilder) -> [Split] {
        let byFold = Dictionary(grouping: facts) { fold(of: ItemRef(suite: $0.suite, item: $0.itemKey), folds: folds) }
        return (0..<folds).map { held in
            let training = byFold.filter { $0.key != held }.values.flatMap { $0 }
            return Split(training: builder.build(facts: training),
                         items: items(facts: byFold[held] ?? [], prices: builder.prices, prompts: builder.prompts))
        }
    }
}
