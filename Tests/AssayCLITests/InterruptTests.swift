import AssayCore
import AssayStore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import GRDB
import Testing

/// Stopping things the way users do: Ctrl-C in the middle of a run, SIGTERM to the simulator.
@Suite("Interrupts", .serialized)
struct InterruptTests {
    @Test("Ctrl-C stops a run: it exits 130, keeps what finished, stores no error for cut requests, and a rerun finishes the rest")
    func interruptedRun() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 150) { port in
            let config = """
                suites: \(Fixtures.suitesDirectory)
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: sim/pebble-1, efforts: [none]}
                run: {concurrency: 2}
                """
            try config.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
            let process = try AssayProcess.start(["run", "--suite", "classification"], in: directory)
            // Interrupt once the run is under way (start-up time varies on a busy machine).
            let databasePath = directory + "/results/assay.sqlite"
            for _ in 0..<200 where Self.storedSamples(databasePath) == 0 {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(300))
            process.interrupt()
            await AssayProcess.waitForExit(process)
            #expect(process.terminationStatus == 130)

            let database = try AssayDatabase(path: directory + "/results/assay.sqlite")
            let stored = try database.sampleCount(status: .ok)
            #expect(stored > 0 && stored < classification.items.count, "stored \(stored)")
            #expect(try database.sampleCount(status: .error) == 0)
            let status = try await database.writer.read { db in try String.fetchOne(db, sql: "SELECT status FROM run ORDER BY id LIMIT 1") }
            #expect(status == "interrupted")

            let rerun = try await AssayProcess.runDetached(["run", "--suite", "classification", "--json"], in: directory)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let summary = try #require(JSONValue(parsing: rerun.stdout)?.objectValue)
            #expect(summary["planned"]?.numberValue == Double(classification.items.count - stored))
            #expect(summary["already_stored"]?.numberValue == Double(stored))
            #expect(try database.sampleCount(status: .ok) == classification.items.count)
        }
    }

    /// Samples stored so far, read without migrating (0 while the file is not there yet).
    static func storedSamples(_ path: String) -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return 0 }
        return (try? queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE status = 'ok'") ?? 0 }) ?? 0
    }

    @Test("assay simulate serves on the port it prints and stops cleanly on SIGTERM")
    func simulateSubprocess() async throws {
        let (process, line) = try AssayProcess.startReadingFirstLine(["simulate", "--port", "0", "--suites", Fixtures.suitesDirectory])
        let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) }, "\(line)")
        try await Fixtures.withClient { client in
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/models"), timeout: .seconds(60))
            #expect(response.status.code == 200)
            #expect(String(buffer: try await response.body.collect(upTo: 1 << 20)).contains("condor-max"))
        }
        process.terminate()
        await AssayProcess.waitForExit(process)
        #expect(process.terminationStatus == 0)
    }
}
