import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Testing

/// Cascades replayed on the router fixture's held-out items: small fails geometry and solves
/// additions, so its per-request estimate tells the two apart and big need only answer geometry.
@Suite("Cascade replay and plan")
struct CascadeReplayTests {
    static let small = "sim/small@none", mid = "sim/mid@low", big = "sim/big@high"

    func items() throws -> [CascadeItem] {
        let builder = CatalogBuilder(margin: 0.02, prices: [:], prompts: RouterFixture.prompts)
        let splits = HoldOut.splits(facts: RouterFixture.facts(items: RouterFixture.items), folds: 3, builder: builder)
        // Small's answers to the geometry items are all the same wrong number; mid's differ.
        var answers: HoldOut.Answers = [:]
        for item in RouterFixture.items {
            let ref = ItemRef(suite: item.suite, item: item.key)
            answers[ref] = [Self.small: .init(fingerprint: item.kind == "geo" ? 7 : 1), Self.mid: .init(fingerprint: 1),
                            Self.big: .init(fingerprint: 1)]
        }
        return try CascadeItem.replay(splits: splits, answers: answers, options: RouterOptions(margin: 0.3))
    }

    @Test("the estimate check sends geometry to big and keeps additions: big's quality for about half its cost")
    func estimateCascade() throws {
        let items = try items()
        #expect(items.count == RouterFixture.items.count, "every item held out once")
        #expect(items.allSatisfy { $0.estimates[Self.small] != nil }, "every item has the router's estimate of the worker")
        let result = CascadeEvaluation.evaluate(CascadeSpec(worker: Self.small, advisor: Self.big, check: .estimate), items: items,
                                                task: "math", thresholds: [0.5])
        let point = try #require(result.sweep.first)
        #expect(result.items == 48)
        #expect(point.quality == 1, "every geometry item doubted, every addition trusted")
        #expect(point.accuracy.falseTrust == 0 && point.accuracy.falseDoubt == 0)
        #expect(point.costNusd == (100 + 10_000) / 2, "small on the additions, big (alone) on geometry")
        #expect(point.versusAlwaysBest.mean == 0 && point.versusAlwaysBest.low == 0)
        #expect(try #require(point.costRatioToAlwaysBest) < 0.55)
        let worker = try #require(result.baselines.first { $0.policy == "worker" })
        #expect(worker.quality == 0.5)
    }

    @Test("agreement with mid doubts exactly the geometry answers, and pays for mid's answer on every item")
    func agreementCascade() throws {
        let result = CascadeEvaluation.evaluate(
            CascadeSpec(worker: Self.small, advisor: Self.big, check: .agreement(partner: Self.mid)), items: try items(), task: "math")
        let point = try #require(result.sweep.first)
        #expect(point.quality == 1 && point.escalated == 0.5)
        #expect(point.checkCostNusd == 1_000 && point.checkShareOfWorker == 10)
    }

    @Test("the plan finds a cascade for math, and says none beats the single pick on extraction, where small is already right")
    func plan() throws {
        let plan = CascadePlan.plan(items: try items())
        let math = try #require(plan.tasks.first { $0.task == "math" })
        #expect(math.selectionItems + math.reportItems == 48)
        #expect(math.bestSingle == Self.big)
        let chosen = try #require(math.cascade, "\(math.verdict)")
        #expect(chosen.spec.worker == Self.small && chosen.spec.advisor == Self.big)
        let ratio = try #require(chosen.costRatioToBestSingle)
        #expect(chosen.point.quality == 1 && ratio < 0.6)
        #expect(math.verdict.hasPrefix("a cascade beats"))
        let extraction = try #require(plan.tasks.first { $0.task == "extraction" })
        #expect(extraction.cascade == nil && extraction.bestSingle == Self.small)
        #expect(extraction.verdict.contains("already the cheapest entry"))
    }
}
