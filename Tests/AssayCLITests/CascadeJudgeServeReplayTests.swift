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
            let directory = try await ServeFixture.measured("""
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: sim/pebble-1, efforts: [none, low], price: {input: "0.02", output: "0.08"}}
                  - {id: sim/heron-flash, efforts: [none], price: {input: "0.30", output: "2.50"}}
                judge: sim/pebble-1
                run: {concurrency: 8}
                serve: {cascade: {plan: cascade-plan.json}}
                """, suites: ["extraction"])
            try Self.plan.write(toFile: directory + "/cascade-plan.json", atomically: true, encoding: .utf8)
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

            let (server, serverPort) = try ServeTests.startServer(in: directory)
            let routes = try await CascadeReplayDriver.sendEveryItem(of: extraction, port: serverPort)
            #expect(routes.allSatisfy { $0.hasPrefix("cascade task=extraction path=") && $0.contains("; check judge ") }, "\(routes)")
            let advised = routes.filter { $0.contains("path=advisor") }.count
            server.terminate()
            server.waitUntilExit()

            #expect(advised > 0 && advised < items, "both paths are taken: \(advised) of \(items) went to the advisor")
            let escalated = try #require(point["escalated"]?.numberValue)
            #expect(abs(Double(advised) / Double(items) - escalated) < 1e-9, "server sent \(advised) of \(items) to the advisor; the replay \(escalated)")
            let (rows, serverMean) = try CascadeReplayDriver.meanCost(directory: directory, items: items)
            #expect(rows.allSatisfy { $0.cascade?.check.hasPrefix("judge ") == true && $0.cascade?.checkCost != nil && $0.cascade?.workerCost != nil })
            let replayMean = try #require(point["cost_nusd"]?.numberValue)
            #expect(abs(serverMean - replayMean) <= replayMean * 1e-6 + 1, "server \(serverMean) nUSD per request, replay \(replayMean)")
        }
    }
}
