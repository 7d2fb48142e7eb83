import AssayCatalogFormat
import AssayCore
@testable import AssayRouter
import AssayTestSupport
import Foundation
import Testing

/// What `assay serve` takes from an `assay cascade plan --json` file, and how it refuses a file
/// that is not one (it is read from disk: a hand-edited or truncated plan is untrusted input).
@Suite struct CascadeRoutesTests {
    static func plan(worker: String = "sim/a@none", advisor: String = "sim/c@high", check: CascadeCheck = .agreement(partner: "sim/b@none"),
                     threshold: Double = 1, ratio: Double? = 0.3, difference: [Double] = [0, 0.1]) -> CascadePlan {
        let interval = CascadeEvaluation.Interval(differences: difference)
        let accuracy = CascadeEvaluation.CheckAccuracy(falseDoubt: nil, falseTrust: nil, rightAnswers: 0, wrongAnswers: 0)
        let point = CascadeEvaluation.Point(threshold: threshold, quality: 0.9, costNusd: 10, workerCostNusd: 5, checkCostNusd: 1, advisorCostNusd: 4,
                                            escalated: 0.1, unchecked: 0, versusAlwaysBest: interval, versusRouter: interval,
                                            costRatioToAlwaysBest: 0.2, checkShareOfWorker: 0.2, accuracy: accuracy)
        let chosen = CascadePlan.Chosen(spec: CascadeSpec(worker: worker, advisor: advisor, check: check), point: point,
                                        versusBestSingle: interval, costRatioToBestSingle: ratio)
        return CascadePlan(tasks: [
            .init(task: "math", selectionItems: 9, reportItems: 9, tried: 10, bestSingle: advisor, baselines: [], cascade: chosen, verdict: "…"),
            .init(task: "writing", selectionItems: 9, reportItems: 9, tried: 10, bestSingle: "sim/a@none", baselines: [], cascade: nil,
                  verdict: "no cascade reached sim/a@none's quality"),
        ])
    }

    func write(_ text: String) throws -> String {
        let path = try Fixtures.temporaryDirectory() + "/plan.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a plan file round-trips: the chosen cascade is served with its threshold and partner; a task without one says why")
    func served() throws {
        let path = try write(String(decoding: try CatalogDocument.encoder().encode(Self.plan(threshold: 0.8)), as: UTF8.self))
        let routes = try CascadeRoutes(path: path)
        let math = try #require(routes.routes["math"])
        #expect(math.worker == EntryKey(model: "sim/a", effort: "none") && math.advisor == EntryKey(model: "sim/c", effort: "high"))
        #expect(math.partner == EntryKey(model: "sim/b", effort: "none") && math.threshold == 0.8)
        #expect(routes.routes["writing"] == nil && routes.skipped["writing"]?.contains("no cascade beats its single pick") == true)
        let same = try CascadeRoutes(plan: Self.plan(check: .agreement(partner: nil)))
        #expect(same.routes["math"]?.partner == EntryKey(model: "sim/a", effort: "none"), "agreement alone asks the worker twice")
    }

    @Test("not served: a cascade below its single pick on the report half, and one no cheaper")
    func notServed() throws {
        #expect(try CascadeRoutes(plan: Self.plan(difference: [-0.3, -0.1])).skipped["math"] != nil)
        #expect(try CascadeRoutes(plan: Self.plan(ratio: 1.2)).skipped["math"] != nil)
    }

    @Test("a judge check is served with its threshold and no partner, and the routes say the server needs a judge for it")
    func judged() throws {
        let judged = try CascadeRoutes(plan: Self.plan(check: .judge, threshold: 0.7))
        let math = try #require(judged.routes["math"])
        #expect(math.spec.check == .judge && math.threshold == 0.7 && math.partner == nil)
        #expect(judged.judgedTasks == ["math"])
        #expect(try CascadeRoutes(plan: Self.plan(threshold: 0.8)).judgedTasks.isEmpty)
    }

    @Test("a judge check runs only with the judge it was measured with: none configured, or another, is refused naming both")
    func judgeMustMatch() throws {
        var plan = Self.plan(check: .judge, threshold: 0.7)
        plan.tasks[0].cascade?.judge = "sim/owl"
        let routes = try CascadeRoutes(plan: plan)
        #expect(routes.routes["math"]?.judge == ModelRef("sim/owl"))
        #expect(throws: Never.self) { try routes.checkJudge(ModelRef("sim/owl")) }
        #expect { try routes.checkJudge(nil) } throws: { ($0 as? CascadeRoutesError)?.message.contains("names no judge") == true }
        #expect { try routes.checkJudge(ModelRef("sim/lark")) } throws: { error in
            let message = (error as? CascadeRoutesError)?.message ?? ""
            return message.contains("sim/owl") && message.contains("sim/lark") && message.contains("math")
        }
        #expect(throws: Never.self) { try CascadeRoutes(plan: Self.plan(threshold: 0.8)).checkJudge(nil) }
        plan.tasks[0].cascade?.judge = "not a model"
        #expect { try CascadeRoutes(plan: plan) } throws: { ($0 as? CascadeRoutesError)?.message.contains("cascade.judge") == true }
    }

    @Test("a hostile or broken plan names the file and the field", arguments: [
        ("{\"tasks\": 3}", "tasks"),
        ("not json", "plan.json is not 'assay cascade plan --json' output"),
        ("{}", "tasks is missing"),
        ("{\"tasks\": [{\"task\": \"x\"}]}", "tasks[0].selection_items is missing"),
    ])
    func broken(text: String, expected: String) throws {
        let path = try write(text)
        let error = try #require(throws: AssayError.self) { try CascadeRoutes(path: path) }
        #expect(error.message.contains(path) && error.message.contains(expected), "\(error.message)")
        #expect(error.hint?.contains("assay cascade plan --json") == true)
    }

    @Test("entries that are not provider/model@effort, and a threshold outside 0…1, are refused naming the field")
    func badFields() throws {
        for (plan, expected) in [
            (Self.plan(worker: "sim-a"), "tasks[0] (math).cascade.spec.worker 'sim-a' is not provider/model@effort"),
            (Self.plan(advisor: "@high"), "tasks[0] (math).cascade.spec.advisor"),
            (Self.plan(check: .agreement(partner: "nobody")), "tasks[0] (math).cascade.spec.check 'agreement:nobody'"),
            (Self.plan(check: .estimate, threshold: 7), "tasks[0] (math).cascade.point.threshold must be between 0 and 1, found 7"),
            (Self.plan(check: .estimate, threshold: .nan), "threshold must be between 0 and 1"),
        ] {
            let error = try #require(throws: CascadeRoutesError.self) { try CascadeRoutes(plan: plan) }
            #expect(error.message.contains(expected), "\(error.message)")
        }
        let missing = "/nonexistent-\(UUID().uuidString)/plan.json"
        let error = try #require(throws: AssayError.self) { try CascadeRoutes(path: missing) }
        #expect(error.message.contains("cannot read the cascade plan \(missing)"))
    }

    @Test("x-assay-tradeoff: cascade alone; with another objective, twice, with max-cost or with a value it is refused")
    func tradeoff() throws {
        #expect(try Tradeoff(parsing: "cascade") == Tradeoff(cascade: true))
        #expect(try Tradeoff(parsing: " Cascade ") == Tradeoff(cascade: true))
        for bad in ["cascade, best", "cheapest,cascade", "utility=1, cascade", "cascade, cascade", "cascade=on", "cascade, max-cost=0.1"] {
            #expect(throws: TradeoffError.self, "\(bad)") { try Tradeoff(parsing: bad) }
        }
    }
}
