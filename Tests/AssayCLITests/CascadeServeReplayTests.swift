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
            let directory = try await CascadeReplayDriver.measuredExtraction(simulatorPort: port, plan: Self.plan)
            let eval = try await AssayProcess.runDetached(["cascade", "eval", "--worker", Self.worker, "--advisor", Self.advisor,
                                                           "--check", "agreement:" + Self.partner, "--task", "extraction", "--json"], in: directory)
            #expect(eval.status == 0, "\(eval.stderr)")
            let replay = try #require(JSONValue(parsing: eval.stdout)?.objectValue, "\(eval.stdout)")
            let point = try #require(replay["sweep"]?.arrayValue?.first?.objectValue)
            let items = try #require(replay["items"]?.numberValue.map(Int.init))
            #expect(items == extraction.items.count)

            let (routes, rows, advised) = try await CascadeReplayDriver.serveMatchingReplay(extraction, directory: directory, point: point, items: items)
            #expect(routes.allSatisfy { $0.hasPrefix("cascade task=extraction path=") }, "\(routes)")
            #expect(rows.allSatisfy { $0.cascade?.workerCost != nil && $0.cascade?.checkCost != nil })
            #expect(rows.filter { $0.cascade?.path == "advisor" }.count == advised)
        }
    }
}
