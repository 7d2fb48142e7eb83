import AssayCore

/// The deterministic split `assay router eval` replays on: items held out of the catalog the
/// router is trained on, with every entry's outcome on them.
public enum HoldOut {
    /// The fold (0..<folds) `item` is held out in: a stable hash of its suite and key, so the
    /// same item falls in the same fold in every run and for every model.
    package static func fold(of item: ItemRef, folds: Int, seed: String = "router-eval") -> Int {
        min(folds - 1, Int(StableHash.unit(seed, item.suite, item.item) * Double(max(1, folds))))
    }

    /// A held-out item and what each entry scored and cost on it.
    public struct Item: Sendable {
        public var task: String
        public var item: ItemRef
        public var prompt: String?
        /// By entry name (`provider/model@effort`): mean score and mean cost over its ok samples.
        public var outcomes: [String: Outcome]

        public init(task: String, item: ItemRef, prompt: String?, outcomes: [String: Outcome]) {
            self.task = task
            self.item = item
            self.prompt = prompt
            self.outcomes = outcomes
        }
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
}

extension HoldOut {
    /// One fold: the catalog built without its items, and those items' outcomes.
    public struct Split: Sendable {
        public var training: CatalogDocument
        public var items: [Item]

        public init(training: CatalogDocument, items: [Item]) {
            self.training = training
            self.items = items
        }
    }
}
