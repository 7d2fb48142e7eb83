import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Testing

@Suite("Router evaluation")
struct EvaluationTests {
    /// Three folds of the fixture: every item is held out once, from a catalog built without it.
    func evaluation() throws -> RouterEvaluation {
        let builder = CatalogBuilder(margin: 0.02, prices: [:], prompts: RouterFixture.prompts)
        let splits = HoldOut.splits(facts: RouterFixture.facts(items: RouterFixture.items), folds: 3, builder: builder)
        #expect(splits.map(\.items.count).reduce(0, +) == RouterFixture.items.count)
        for split in splits {
            #expect(split.items.count > 10, "about a third of 72 items per fold: \(split.items.count)")
            let trainKeys = Set(split.training.router?.tasks.flatMap { $0.items.map(\.key) } ?? [])
            #expect(split.items.allSatisfy { !trainKeys.contains($0.item.key) }, "no held-out item is in its training catalog")
        }
        return try RouterEvaluation.evaluate(splits: splits, options: RouterOptions(margin: 0.3))
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
        #expect(result.heldOutItems == RouterFixture.items.count)
        #expect(result.target.met == (result.target.qualityRatio >= 0.95 && result.target.costRatio <= 0.4))
        #expect(points["per-task-best"]?.quality == 1, "big is best on every task")
        #expect(try #require(points["per-task-best"]).costNusd <= best.costNusd, "each task's best is never dearer than the one best overall")
        #expect(result.sweep.count == RouterEvaluation.defaultLambdas.count)
        #expect(result.aiq.router > 0 && result.aiq.router <= 1)
    }

    @Test("the utility sweep spends less as λ grows")
    func sweepMonotone() throws {
        let costs = try evaluation().sweep.map(\.costNusd)
        #expect(costs.first! > costs.last!)
    }
}
