import AssayCatalogFormat
import AssayCore
import AssayRouter
import Testing

/// One item through a cascade: which answer is kept, and every call it pays for.
@Suite("Cascade steps")
struct CascadeStepTests {
    static let worker = "sim/small@none", advisor = "sim/big@high", partner = "sim/mid@low"

    /// An item where the worker scored `workerScore` (cost 100), the advisor 1 (cost 10,000) and
    /// the partner 1 (cost 1,000); the worker's answer has fingerprint 1, the partner's `partnerPrint`.
    static func item(_ key: String, workerScore: Double, estimate: Double, partnerPrint: UInt64 = 1,
                     otherEpoch: UInt64? = nil, judge: Double? = nil) -> CascadeItem {
        CascadeItem(
            task: "math", item: ItemRef(suite: "arith", item: key),
            outcomes: [worker: .init(score: workerScore, costNusd: 100), advisor: .init(score: 1, costNusd: 10_000),
                       partner: .init(score: 1, costNusd: 1_000)],
            answers: [worker: .init(fingerprint: 1, otherEpochFingerprint: otherEpoch, judgeScore: judge, judgeCostNusd: judge.map { _ in 50 },
                                     judge: judge.map { _ in "sim/owl" }),
                      partner: .init(fingerprint: partnerPrint)],
            estimates: [worker: estimate, advisor: 0.99], router: .init(score: 1, costNusd: 1_000),
            alwaysBest: .init(score: 1, costNusd: 10_000), oracle: .init(score: 1, costNusd: 100))
    }

    @Test("estimate: kept above the threshold (worker's cost only); below it the advisor is asked instead, the worker never")
    func estimate() {
        let spec = CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .estimate)
        let kept = spec.step(on: Self.item("a", workerScore: 0, estimate: 0.9), threshold: 0.8)
        #expect(!kept.escalated && kept.score == 0 && kept.cost == 100 && kept.doubted == false && kept.workerRight == false)
        let sent = spec.step(on: Self.item("a", workerScore: 0, estimate: 0.7), threshold: 0.8)
        #expect(sent.escalated && sent.score == 1 && sent.cost == 10_000 && sent.checkCost == 0 && sent.workerRight == false)
    }

    @Test("agreement with another entry pays for its answer; with the worker again, for the worker twice")
    func agreement() {
        let withPartner = CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .agreement(partner: Self.partner))
        let agree = withPartner.step(on: Self.item("a", workerScore: 1, estimate: 0, partnerPrint: 1), threshold: 1)
        #expect(!agree.escalated && agree.cost == 1_100 && agree.checkCost == 1_000)
        let differ = withPartner.step(on: Self.item("a", workerScore: 1, estimate: 0, partnerPrint: 2), threshold: 1)
        #expect(differ.escalated && differ.cost == 11_100 && differ.doubted == true)

        let again = CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .agreement(partner: nil))
        let same = again.step(on: Self.item("a", workerScore: 1, estimate: 0, otherEpoch: 1), threshold: 1)
        #expect(!same.escalated && same.cost == 200 && same.checkCost == 100)
        let missing = again.step(on: Self.item("a", workerScore: 1, estimate: 0), threshold: 1)
        #expect(missing.escalated && missing.unchecked && missing.doubted == nil, "no second answer: the advisor answers")
    }

    @Test("judge: the verdict's call is priced; no stored verdict sends the item to the advisor")
    func judge() {
        let spec = CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .judge)
        let trusted = spec.step(on: Self.item("a", workerScore: 1, estimate: 0, judge: 0.9), threshold: 0.8)
        #expect(!trusted.escalated && trusted.cost == 150)
        let doubted = spec.step(on: Self.item("a", workerScore: 1, estimate: 0, judge: 0.6), threshold: 0.8)
        #expect(doubted.escalated && doubted.cost == 10_150 && doubted.score == 1)
        #expect(spec.step(on: Self.item("a", workerScore: 1, estimate: 0), threshold: 0.8).unchecked)
    }

    @Test("the plan chooses a judge check when it pays, names the judge it was measured with, and reports its cost share")
    func planRecordsJudge() throws {
        // Half the worker's answers are wrong; the judge tells which (0.9 right, 0.1 wrong) for 50 a call.
        let items = (0..<60).map { Self.item("i\($0)", workerScore: Double($0 % 2), estimate: 0.5, judge: $0 % 2 == 1 ? 0.9 : 0.1) }
        let plan = CascadePlan.plan(items: items)
        let chosen = try #require(plan.tasks.first?.cascade)
        #expect(chosen.spec == CascadeSpec(worker: Self.worker, advisor: Self.partner, check: .judge) && chosen.judge == "sim/owl")
        #expect(plan.checkCost?.byTask["math"] == 0.5, "a 50 judge call on a 100 worker answer")
        let bounded = CascadePlan.plan(items: items, maxCheckShare: 0.2)
        #expect(bounded.tasks.first?.cascade?.spec.check != .judge && bounded.maxCheckShare == 0.2, "the judge's 50% share is over the bound")
    }

    @Test("a worker with no stored answer: the advisor answers and nothing is charged for the worker")
    func workerMissing() {
        var item = Self.item("a", workerScore: 1, estimate: 1)
        item.outcomes[Self.worker] = nil
        let step = CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .estimate).step(on: item, threshold: 0.5)
        #expect(step.escalated && step.cost == 10_000 && step.score == 1 && step.workerRight == nil)
    }

    @Test("the sweep's point: mean quality and cost, paired interval against always-best, false doubt and false trust")
    func point() throws {
        // Right worker, trusted; right worker, doubted; wrong worker, trusted; wrong worker, doubted.
        let items = [Self.item("a", workerScore: 1, estimate: 0.9), Self.item("b", workerScore: 1, estimate: 0.1),
                     Self.item("c", workerScore: 0, estimate: 0.9), Self.item("d", workerScore: 0, estimate: 0.1)]
        let spec = CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .estimate)
        let result = CascadeEvaluation.evaluate(spec, items: items, thresholds: [0.5])
        let point = try #require(result.sweep.first)
        #expect(point.quality == 0.75)
        #expect(point.costNusd == (100 * 2 + 10_000 * 2) / 4, "the estimate is known before the call: doubted items never ask the worker")
        #expect(point.escalated == 0.5)
        #expect(point.accuracy.falseDoubt == 0.5 && point.accuracy.falseTrust == 0.5)
        #expect(point.accuracy.rightAnswers == 2 && point.accuracy.wrongAnswers == 2)
        #expect(point.versusAlwaysBest.mean == -0.25)
        // Differences 0, 0, −1, 0: sd 0.5, half-width 1.96 × 0.5 / 2.
        #expect(abs(point.versusAlwaysBest.low - (-0.25 - 0.49)) < 1e-12 && abs(point.versusAlwaysBest.high - (-0.25 + 0.49)) < 1e-12)
        #expect(point.costRatioToAlwaysBest == 5_050.0 / 10_000)
        #expect(point.checkShareOfWorker == 0)
        #expect(result.baselines.map(\.policy) == ["always-best", "router", "oracle", "worker", "advisor"])
        #expect(result.baselines[3].quality == 0.5 && result.baselines[4].quality == 1)
    }

    @Test("misspelt entries, a task with no items, and checks with nothing to read are refused by name")
    func refusals() {
        let items = [Self.item("a", workerScore: 1, estimate: 0.9)]
        func message(_ spec: CascadeSpec, task: String? = nil) -> String {
            do {
                _ = try CascadeEvaluation.checked(spec, items: items, task: task)
                return ""
            } catch { return "\(error)" }
        }
        #expect(message(CascadeSpec(worker: "sim/smal@none", advisor: Self.advisor, check: .estimate)).contains("--worker 'sim/smal@none'"))
        #expect(message(CascadeSpec(worker: Self.worker, advisor: "sim/bog@high", check: .estimate)).contains("--advisor"))
        #expect(message(CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .estimate), task: "poetry").contains("--task 'poetry'"))
        #expect(message(CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .judge)).contains("--check judge"))
        #expect(message(CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .agreement(partner: nil))).contains("another epoch"))
        #expect(message(CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .agreement(partner: "x@y"))).contains("agreement:x@y"))
        #expect(message(CascadeSpec(worker: Self.worker, advisor: Self.advisor, check: .estimate)).isEmpty)
    }

    @Test("check names parse and print back; unknown ones do not parse")
    func checkNames() {
        for name in ["estimate", "judge", "agreement", "agreement:sim/mid@low"] {
            #expect(CascadeCheck(argument: name)?.description == name)
        }
        #expect(CascadeCheck(argument: "agreement:") == nil && CascadeCheck(argument: "vibes") == nil)
    }
}
