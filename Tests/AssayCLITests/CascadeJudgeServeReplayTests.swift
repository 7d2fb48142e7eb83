import AssayCore
import AssaySimulator
import AssayTestSupport
import AssayTraffic
import AsyncHTTPClient
import Foundation
import Testing

/// The cascade's judge check end to end: `assay regrade --judge-check` stores the judge's verdicts
/// on the stored extraction answers, `assay cascade eval --check judge` replays them, and the real
/// `assay serve` (a subprocess; plan from `serve.cascade.plan`, judge from `judge:`) asks the same
/// judge about its live worker answers: the same share goes to the advisor at the same mean cost,
/// and every traffic row carries the judge's call as the check's cost.
@Suite("Cascade judge check in the server reproduces the offline replay")
struct CascadeJudgeServeReplayTests {
    static let worker = "sim/pebble-1@low", advisor = "sim/heron-flash@none", threshold = 0.5

    /// The plan served: one cascade for task extraction.
    static let plan = CascadeReplayDriver.plan(worker: worker, advisor: advisor, check: "judge", threshold: threshold)

    @Test("regrade --judge-check, cascade eval --check judge and the live server's judge check agree item for item in share and cost")
    func reproduces() async throws {
        let extraction = try #require(try Fixtures.shippedSuites().first { $0.task == "extraction" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try await CascadeReplayDriver.measuredExtraction(simulatorPort: port, judge: "sim/pebble-1", plan: Self.plan)
            let check = try await AssayProcess.runDetached(["regrade", "--judge-check", "--json"], in: directory)
            #expect(check.status == 0, "\(check.stderr)")
            let summary = try #require(JSONValue(parsing: check.stdout)?.objectValue, "\(check.stdout)")
            #expect(summary["checked"]?.numberValue == Double(extraction.items.count * 3) && summary["errors"]?.numberValue == 0)

            let eval = try await AssayProcess.runDetached(["cascade", "eval", "--worker", Self.worker, "--advisor", Self.advisor,
                                                           "--check", "judge", "--task", "extraction", "--json"], in: directory)
            #expect(eval.status == 0, "\(eval.stderr)")
            let replay = try #require(JSONValue(parsing: eval.stdout)?.objectValue, "\(eval.stdout)")
            let point = try #require(replay["sweep"]?.arrayValue?.compactMap(\.objectValue).first { $0["threshold"]?.numberValue == Self.threshold })
            let items = try #require(replay["items"]?.numberValue.map(Int.init))
            #expect(items == extraction.items.count)

            let (routes, rows, _) = try await CascadeReplayDriver.serveMatchingReplay(extraction, directory: directory, point: point, items: items)
            #expect(routes.allSatisfy { $0.hasPrefix("cascade task=extraction path=") && $0.contains("; check judge ") }, "\(routes)")
            #expect(rows.allSatisfy { $0.cascade?.check.hasPrefix("judge ") == true && $0.cascade?.checkCost != nil && $0.cascade?.workerCost != nil })
        }
    }
}
