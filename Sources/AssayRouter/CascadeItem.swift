import AssayCatalogFormat

/// One held-out item as a cascade replay sees it: every entry's stored outcome and answer, the
/// router's per-request estimates from the split's training catalog, and the baselines' outcomes.
public struct CascadeItem: Sendable {
    public var task: String
    public var item: ItemRef
    public var outcomes: [String: HoldOut.Outcome]
    public var answers: [String: HoldOut.Answer]
    /// The router's per-request quality estimate of each entry on the prompt.
    public var estimates: [String: Double]
    /// The single-pick router (default objective), always-best (one entry for every task) and the
    /// oracle (the best stored outcome, cheapest among ties); nil when they could not answer.
    public var router: HoldOut.Outcome?
    public var alwaysBest: HoldOut.Outcome?
    public var oracle: HoldOut.Outcome?

    public init(task: String, item: ItemRef, outcomes: [String: HoldOut.Outcome], answers: [String: HoldOut.Answer],
                estimates: [String: Double], router: HoldOut.Outcome?, alwaysBest: HoldOut.Outcome?, oracle: HoldOut.Outcome?) {
        (self.task, self.item, self.outcomes, self.answers, self.estimates) = (task, item, outcomes, answers, estimates)
        (self.router, self.alwaysBest, self.oracle) = (router, alwaysBest, oracle)
    }

    /// Each split's held-out items with a prompt and a task in the split's catalog, replayed
    /// through a router built from that split's training catalog (as `assay router eval` does).
    public static func replay(splits: [HoldOut.Split], answers: HoldOut.Answers, options: RouterOptions = RouterOptions())
        throws(RouterLoadError) -> [CascadeItem] {
        var items: [CascadeItem] = []
        for split in splits {
            let snapshot = try RouterSnapshot(document: split.training, options: options)
            let bestEntry = RouterEvaluation.bestSingle(split.training)
            for item in split.items {
                guard let prompt = item.prompt, split.training.section(item.task) != nil else { continue }
                let decision = try? snapshot.decide(RouteRequest(prompt: prompt))
                items.append(CascadeItem(
                    task: item.task, item: item.item, outcomes: item.outcomes, answers: answers[item.item] ?? [:],
                    estimates: snapshot.estimates(prompt: prompt, task: item.task),
                    router: decision.flatMap { RouterEvaluation.outcome(of: $0, on: item) },
                    alwaysBest: bestEntry.flatMap { item.outcomes[$0] },
                    oracle: item.outcomes.values.max { ($0.score, -$0.costNusd) < ($1.score, -$1.costNusd) }))
            }
        }
        return items.sorted { $0.item < $1.item }
    }
}
