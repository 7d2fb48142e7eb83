import AssayCore
import AssaySimulator
import AssayTestSupport
import AssayTraffic
import AsyncHTTPClient
import Foundation
import Testing

/// The cascade in the real `assay serve` (a subprocess, its plan from `serve.cascade.plan`)
/// against the live simulator decides as `assay cascade eval` replays the same cascade on the
/// stored answers of the same items: the same share sent to the advisor and the same cost.
@Suite("Cascade in the server reproduces the offline replay")
struct CascadeServeReplayTests {
    static let worker = "sim/pebble-1@low", partner = "sim/pebble-1@none", advisor = "sim/heron-flash@none"

    /// The plan served: one cascade for task extraction.
    static let plan = CascadeReplayDriver.plan(worker: worker, advisor: advisor, check: "agreement:\(partner)", threshold: 1)

    @Test("every extraction item through the live server: its paths and costs are the replay's, and its traffic rows count every call")
    func reproduces() async throws {
        let extraction = try #require(try Fixtures.shippedSuites().first { $0.task == "extraction" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try await ServeFixture.measured("""
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: sim/pebble-1, efforts: [none, low], price: {input: "0.02", output: "0.08"}}
                  - {id: sim/heron-flash, efforts: [none], price: {input: "0.30", output: "2.50"}}
                run: {concurrency: 8}
                serve: {cascade: {plan: cascade-plan.json}}
                """, suites: ["extraction"])
            try Self.plan.write(toFile: directory + "/cascade-plan.json", atomically: true, encoding: .utf8)
            let eval = try await AssayProcess.runDetached(["cascade", "eval", "--worker", Self.worker, "--advisor", Self.advisor,
                                                           "--check", "agreement:" + Self.partner, "--task", "extraction", "--json"], in: directory)
            #expect(eval.status == 0, "\(eval.stderr)")
            let replay = try #require(JSONValue(parsing: eval.stdout)?.objectValue, "\(eval.stdout)")
            let point = try #require(replay["sweep"]?.arrayValue?.first?.objectValue)
            let items = try #require(replay["items"]?.numberValue.map(Int.init))
            #expect(items == extraction.items.count)

            let (server, serverPort) = try ServeTests.startServer(in: directory)
            let routes = try await CascadeReplayDriver.sendEveryItem(of: extraction, port: serverPort)
            #expect(routes.allSatisfy { $0.hasPrefix("cascade task=extraction path=") }, "\(routes)")
            let advised = routes.filter { $0.contains("path=advisor") }.count
            server.terminate()
            server.waitUntilExit()

            #expect(advised > 0 && advised < items, "both paths are taken: \(advised) of \(items) went to the advisor")
            let escalated = try #require(point["escalated"]?.numberValue)
            #expect(abs(Double(advised) / Double(items) - escalated) < 1e-9, "server sent \(advised) of \(items) to the advisor; the replay \(escalated)")
            let (rows, serverMean) = try CascadeReplayDriver.meanCost(directory: directory, items: items)
            #expect(rows.allSatisfy { $0.cascade?.workerCost != nil && $0.cascade?.checkCost != nil })
            #expect(rows.filter { $0.cascade?.path == "advisor" }.count == advised)
            let replayMean = try #require(point["cost_nusd"]?.numberValue)
            #expect(abs(serverMean - replayMean) <= replayMean * 1e-6 + 1, "server \(serverMean) nUSD per request, replay \(replayMean)")
        }
    }
}
