import AssayCore
import AssaySimulator
import AssayStore
import AssaySuites
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay nightly` as a platform team runs it from cron: a config pointing at the simulator, run
/// twice (the second measures nothing), then a new model appears in the zoo (the next nightly
/// finds it and measures it alone), then a budget smaller than the work.
@Suite("Nightly", .serialized)
struct NightlyTests {
    static func config(port: Int, directory: String) throws {
        try ("suites: suites\n" + Fixtures.nightlyConfig(port: port, provider: ["discover: {include: [\"wren-*\"], efforts: [low]}"]))
            .write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
    }

    /// The built-in zoo, plus `wren-1` (finch's profile, released today) when `withWren`.
    static func engine(withWren: Bool, suites: String) throws -> SimulatorEngine {
        var zoo = try Zoo.builtIn()
        if withWren {
            var wren = try #require(zoo.models.first { $0.id == "finch" })
            wren.id = "wren-1"
            wren.created = Date()
            zoo.models.append(wren)
        }
        return SimulatorEngine(zoo: zoo, suites: try SuiteLoader.loadAll(directory: suites))
    }

    static func nightly(_ directory: String, _ extra: [String] = []) async throws -> (status: Int32, summary: [String: JSONValue], stderr: String) {
        let result = try await AssayProcess.runDetached(["nightly", "--json"] + extra, in: directory)
        return (result.status, JSONValue(parsing: result.stdout)?.objectValue ?? [:], result.stderr)
    }

    @Test("twice: the second measures nothing; a new zoo model is found and measured alone; a small budget is never exceeded")
    func nightlyRuns() async throws {
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/suites", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.suitesDirectory + "/classification/support-ticket-intent.yaml",
                                        toPath: directory + "/suites/support-ticket-intent.yaml")
        let items = try SuiteLoader.loadAll(directory: directory + "/suites")[0].items.count
        let quiet = SimulatorConfiguration(port: 0, fixedLatencyMs: 1)

        try await SimulatorHost.withRunning(engine: try Self.engine(withWren: false, suites: directory + "/suites"),
                                            configuration: quiet, logger: Fixtures.quietLogger) { port in
            try Self.config(port: port, directory: directory)
            let first = try await Self.nightly(directory)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.summary["samples"]?.numberValue == Double(2 * items))
            #expect(first.summary["catalog_changes"]?.arrayValue == [.string("catalog created")])
            #expect((first.summary["prices_changed"]?.numberValue ?? 0) > 0, "the pricing page was scraped")

            let second = try await Self.nightly(directory)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.summary["samples"]?.numberValue == 0 && second.summary["planned"]?.numberValue == 0, "nothing new to measure")
            #expect(second.summary["new_models"]?.arrayValue == [])
            #expect(second.summary["catalog_changes"]?.arrayValue == [], "the same samples build the same catalog")
            #expect(second.summary["prices_changed"]?.numberValue == 0 && second.summary["prices_quarantined"]?.numberValue == 0)
        }

        let withWren = try Self.engine(withWren: true, suites: directory + "/suites")
        try await SimulatorHost.withRunning(engine: withWren, configuration: quiet, logger: Fixtures.quietLogger) { port in
            try Self.config(port: port, directory: directory)
            let plan = try await AssayProcess.runDetached(["plan", "--discover"], in: directory)
            #expect(plan.stdout.contains("sim/wren-1 @ low") && plan.stdout.contains("new model"), "\(plan.stdout)")
            let third = try await Self.nightly(directory)
            // wren-1 is new on the pricing page too: its scraped price waits for approval (exit 3); the
            // night still measures it, at the price its model listing gave.
            #expect(third.status == 3 && third.summary["prices_quarantined"]?.numberValue == 1, "\(third.stderr)")
            #expect(third.summary["new_models"]?.arrayValue == [.string("sim/wren-1")])
            #expect(third.summary["samples"]?.numberValue == Double(items))
            #expect(withWren.served.byModel == ["wren-1": items], "only the new model was asked: \(withWren.served.byModel)")
            #expect((third.summary["spent_nusd"]?.numberValue ?? 0) > 0, "priced from the listing")
            #expect(third.summary["catalog_changes"]?.arrayValue?.contains(.string("classification added sim/wren-1@low")) == true,
                    "\(String(describing: third.summary["catalog_changes"]))")
        }

        // A fresh database, a budget smaller than the work: stopped, never over.
        let small = try Fixtures.temporaryDirectory()
        try FileManager.default.copyItem(atPath: directory + "/suites", toPath: small + "/suites")
        try await SimulatorHost.withRunning(engine: try Self.engine(withWren: true, suites: small + "/suites"),
                                            configuration: quiet, logger: Fixtures.quietLogger) { port in
            try Self.config(port: port, directory: small)
            let limited = try await Self.nightly(small, ["--budget", "0.02"])
            #expect(limited.status == 0, "\(limited.stderr)")
            #expect(limited.summary["stopped_by_budget"] == .bool(true))
            let spent = try #require(limited.summary["spent_nusd"]?.numberValue)
            #expect(spent > 0 && spent <= 20_000_000, "spent \(spent) nano-USD of $0.02")
        }
    }
}
