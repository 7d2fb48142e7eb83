import AssayCatalog
import AssayCore
import AssayRouter
import Testing

@Suite("Router evaluation")
struct EvaluationTests {
    /// Trains on the fixture's items outside the held-out fraction and replays the rest.
    func evaluation() throws -> RouterEvaluation {
        let facts = RouterFixture.facts(items: RouterFixture.items)
        let split = Dictionary(grouping: facts) { HoldOut.contains(ItemRef(suite: $0.suite, item: $0.itemKey), fraction: 0.3) }
        let training = CatalogBuilder(margin: 0.02, prices: [:], prompts: RouterFixture.prompts).build(facts: split[false] ?? [])
        let items = HoldOut.items(facts: split[true] ?? [], prices: [:], prompts: RouterFixture.prompts)
        #expect(items.count > 10 && items.count < 40, "about 30% of 72 items held out: \(items.count)")
        let trainKeys = Set(training.router?.tasks.flatMap { $0.items.map(\.key) } ?? [])
        #expect(items.allSatisfy { !trainKeys.contains($0.item.key) }, "no held-out item is in the training catalog")
        let snapshot = try RouterSnapshot(document: training, options: RouterOptions(margin: 0.3))
        return RouterEvaluation.evaluate(snapshot: snapshot, catalog: training, items: items)
    }

    @Test("the router beats always-cheapest on quality and always-best on cost; the oracle bounds it")
    func policies() throws {
        let result = try evaluation()
        let points = Dictionary(uniqueKeysWithValues: result.policies.map { ($0.policy, $0) })
        let router = try #require(points["router"]), best = try #require(points["always-best"])
        let cheapest = try #require(points["always-cheapest"]), oracle = try #require(points["oracle"])
        #expect(result.classifierAccuracy >= 0.95)
        #expect(best.quality == 1 && cheapest.quality < 0.9)
        #expect(router.quality > cheapest.quality && router.costNusd < best.costNusd)
        #expect(oracle.quality >= router.quality && oracle.costNusd <= best.costNusd)
        #expect(result.target.met == (result.target.qualityRatio >= 0.95 && result.target.costRatio <= 0.4))
        #expect(result.sweep.count == RouterEvaluation.defaultLambdas.count)
        #expect(result.aiq.router > 0 && result.aiq.router <= 1)
    }

    @Test("the utility sweep spends less as λ grows")
    func sweepMonotone() throws {
        let costs = try evaluation().sweep.map(\.costNusd)
        #expect(costs.first! > costs.last!)
    }
}
