import AssayCore
import AssayStore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import GRDB
import Testing

/// `kill -9` in the middle of a run, then `assay run --resume`; a second run while one holds the
/// database; a budget smaller than the work. Real subprocesses against the live simulator, which
/// counts the completions it answers (`GET /stats`).
@Suite("Resume and budget", .serialized)
struct ResumeTests {
    static func config(port: Int, directory: String, budget: String? = nil) throws {
        try """
            suites: \(Fixtures.suitesDirectory)
            providers:
              sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
            models:
              - {id: sim/pebble-1, efforts: [none], price: {input: "0.02", output: "0.08"}}
              - {id: sim/condor, efforts: [medium], price: {input: "3.00", output: "15.00"}}
            run: {concurrency: 4, max_tokens: 4096\(budget.map { ", budget_usd: \"\($0)\"" } ?? "")}
            """.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
    }

    static func served(port: Int) async throws -> Int {
        try await Fixtures.withClient { client in
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/stats"), timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 16)
            return Int(try #require(JSONValue(parsing: String(buffer: body))?.objectValue?["completions"]?.numberValue))
        }
    }

    static func totalCost(_ path: String) async throws -> Int64 {
        try await AssayDatabase(path: path).writer.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(cost_nusd) FROM sample WHERE status = 'ok'") ?? 0 }
    }

    @Test("kill -9 mid-run, then --resume: nothing stored is asked again, nothing is lost, the spend equals an uninterrupted run's; a second run meanwhile exits 75")
    func killAndResume() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        let expected = classification.items.count * 2
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 60) { port in
            let directory = try Fixtures.temporaryDirectory()
            try Self.config(port: port, directory: directory)
            let path = directory + "/results/assay.sqlite"
            let process = try AssayProcess.start(["run", "--suite", "classification"], in: directory)
            var stored = 0
            for _ in 0..<300 where stored < 12 {
                try await Task.sleep(for: .milliseconds(50))
                if FileManager.default.fileExists(atPath: path) { stored = (try? AssayDatabase(path: path).sampleCount(status: .ok)) ?? 0 }
            }
            let second = try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory)
            #expect(second.status == 75, "\(second.stderr)")
            #expect(second.stderr.contains("another assay process is already running") && second.stderr.contains("pid \(process.processIdentifier)"))

            kill(process.processIdentifier, SIGKILL)
            await AssayProcess.waitForExit(process)
            #expect(process.terminationReason == .uncaughtSignal)
            let storedAtKill = try AssayDatabase(path: path).sampleCount(status: .ok)
            let servedAtKill = try await Self.served(port: port)
            #expect(storedAtKill > 0 && storedAtKill < expected, "killed mid-run: \(storedAtKill) of \(expected)")
            #expect(servedAtKill - storedAtKill <= 4 + 1, "at most the requests in flight (4) were answered but not stored")

            let resumed = try await AssayProcess.runDetached(["run", "--resume", "--json"], in: directory)
            #expect(resumed.status == 0, "\(resumed.stderr) \(resumed.stdout)")
            let summary = try #require(JSONValue(parsing: resumed.stdout)?.objectValue)
            #expect(summary["already_stored"]?.numberValue == Double(storedAtKill))
            #expect(summary["planned"]?.numberValue == Double(expected - storedAtKill))
            let database = try AssayDatabase(path: path)
            #expect(try database.sampleCount(status: .ok) == expected, "none lost")
            #expect(try await Self.served(port: port) - servedAtKill == expected - storedAtKill, "nothing stored was asked again")
            let statuses = try await database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT status || ':' || COALESCE(resumed_by, '-') FROM run ORDER BY id")
            }
            #expect(statuses == ["interrupted:2", "finished:-"])
            let again = try await AssayProcess.runDetached(["run", "--resume"], in: directory)
            #expect(again.status == 66 && again.stderr.contains("no interrupted run"))

            // The same work uninterrupted, in a fresh folder: the same spend to the nano-dollar.
            let fresh = try Fixtures.temporaryDirectory()
            try Self.config(port: port, directory: fresh)
            #expect(try await AssayProcess.runDetached(["run", "--suite", "classification"], in: fresh).status == 0)
            #expect(try await Self.totalCost(path) == (try await Self.totalCost(fresh + "/results/assay.sqlite")))
        }
    }

    @Test("a budget smaller than the work is never exceeded: each request reserves its cost ceiling first")
    func budgetCeiling() async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 5) { port in
            let directory = try Fixtures.temporaryDirectory()
            try Self.config(port: port, directory: directory, budget: "0.50")
            let result = try await AssayProcess.runDetached(["run", "--suite", "classification", "--suite", "math", "--json"], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try #require(JSONValue(parsing: result.stdout)?.objectValue)
            let spent = try #require(summary["spent_nusd"]?.numberValue)
            #expect(summary["stopped_by_budget"] == .bool(true))
            #expect(spent <= 500_000_000 && spent > 100_000_000, "spent \(spent) nano-USD of a $0.50 budget")
            #expect(try await Self.totalCost(directory + "/results/assay.sqlite") == Int64(spent))
        }
    }
}
