import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// `assay cascade eval` and `plan` on a demo of three suites (math, classification and the
/// judge-graded writing), as a user runs them.
@Suite("assay cascade eval and plan", .serialized)
struct CascadeCLITests {
    @Test("eval sweeps a cascade against the baselines and prices every call; plan chooses per task or says why not; bad flags exit 64 by name")
    func evalAndPlan() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let suites = directory + "/suites"
        for task in ["math", "classification", "writing"] {
            try FileManager.default.createDirectory(atPath: suites + "/" + task, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: Fixtures.suitesDirectory + "/" + task) {
                try FileManager.default.copyItem(atPath: Fixtures.suitesDirectory + "/\(task)/\(file)", toPath: suites + "/\(task)/\(file)")
            }
        }
        let demo = try await AssayProcess.runDetached(["demo", "--suites", suites], in: directory)
        #expect(demo.status == 0, "\(demo.stderr)")

        let worker = "sim/pebble-1@none", advisor = "sim/finch@medium"
        let eval = try await AssayProcess.runDetached(["cascade", "eval", "--suites", suites, "--worker", worker, "--advisor", advisor,
                                                       "--task", "math", "--json"], in: directory)
        #expect(eval.status == 0, "\(eval.stderr)")
        let result = try #require(JSONValue(parsing: eval.stdout)?.objectValue)
        #expect(result["spec"]?.objectValue?["check"] == .string("estimate"))
        let baselines = try #require(result["baselines"]?.arrayValue).compactMap(\.objectValue)
        #expect(baselines.compactMap { $0["policy"]?.stringValue } == ["always-best", "router", "oracle", "worker", "advisor"])
        let sweep = try #require(result["sweep"]?.arrayValue).compactMap(\.objectValue)
        #expect(sweep.count == 11)
        for point in sweep {
            let parts = ["worker_cost_nusd", "check_cost_nusd", "advisor_cost_nusd"].compactMap { point[$0]?.numberValue }
            #expect(parts.count == 3 && abs(parts.reduce(0, +) - (point["cost_nusd"]?.numberValue ?? -1)) < 1e-6, "every call counted")
            let interval = try #require(point["versus_always_best"]?.objectValue)
            #expect((interval["low"]?.numberValue ?? 1) <= (interval["high"]?.numberValue ?? 0))
        }
        let escalated = sweep.compactMap { $0["escalated"]?.numberValue }
        #expect(escalated.first! <= escalated.last!, "a higher threshold doubts at least as often")

        let text = try await AssayProcess.runDetached(["cascade", "eval", "--suites", suites, "--worker", worker, "--advisor", advisor,
                                                       "--check", "agreement:sim/finch-mini@minimal"], in: directory)
        #expect(text.status == 0 && text.stdout.contains("check agreement:sim/finch-mini@minimal") && text.stdout.contains("t=1.000"),
                "\(text.stderr)")

        let plan = try await AssayProcess.runDetached(["cascade", "plan", "--suites", suites, "--json"], in: directory)
        #expect(plan.status == 0, "\(plan.stderr)")
        let tasks = try #require(JSONValue(parsing: plan.stdout)?.objectValue?["tasks"]?.arrayValue).compactMap(\.objectValue)
        #expect(tasks.compactMap { $0["task"]?.stringValue } == ["classification", "math", "writing"])
        for task in tasks {
            #expect(task["verdict"]?.stringValue?.isEmpty == false)
            #expect((task["tried"]?.numberValue ?? 0) > 0 || task["verdict"]?.stringValue?.contains("cheapest") == true)
        }

        let misspelt = try await AssayProcess.runDetached(["cascade", "eval", "--suites", suites, "--worker", "sim/pebble@none",
                                                           "--advisor", advisor], in: directory)
        #expect(misspelt.status == 64 && misspelt.stderr.contains("--worker 'sim/pebble@none'") && misspelt.stderr.contains("sim/pebble-1@none"))
        let noEpoch = try await AssayProcess.runDetached(["cascade", "eval", "--suites", suites, "--worker", worker,
                                                          "--advisor", advisor, "--check", "agreement"], in: directory)
        #expect(noEpoch.status == 64 && noEpoch.stderr.contains("another epoch"))
        let badCheck = try await AssayProcess.runDetached(["cascade", "eval", "--worker", worker, "--advisor", advisor,
                                                           "--check", "vibes"], in: directory)
        #expect(badCheck.status == 64 && badCheck.stderr.contains("--check"))
    }
}
