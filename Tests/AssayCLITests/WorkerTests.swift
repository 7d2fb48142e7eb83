import AssayCore
import AssayPostgres
import AssayStore
import AssaySuites
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay run --workers` with real `assay worker` processes on a real PostgreSQL server and the
/// simulated zoo as the provider.
@Suite("grading workers", .serialized, .timeLimit(.minutes(5)))
struct WorkerTests {
    /// A folder with an assay.yaml naming the simulator at `port` and the database on `server`.
    static func directory(port: Int, server: PostgresServer, database: String, extraModels: [String] = []) throws -> String {
        let directory = try Fixtures.temporaryDirectory()
        let config = """
            suites: \(Fixtures.suitesDirectory)
            providers:
              sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
            models:
              - {id: sim/pebble-1, efforts: [none], price: {input: "0.02", output: "0.08"}}

            """ + extraModels.map { "  - " + $0 + "\n" }.joined() + "run: {concurrency: 16}\n" + server.configSection(database: database)
        try config.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    static func json(_ text: String) -> [String: JSONValue]? { JSONValue(parsing: text)?.objectValue }

    @Test("four workers grade a coding run: every job is stored once, by one of them, and the queue is left empty")
    func fourWorkers() async throws {
        let coding = try #require(try Fixtures.shippedSuites().first { $0.task == "coding" })
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            try await Fixtures.withLiveSimulator { port in
                let directory = try Self.directory(port: port, server: server, database: database)
                let workers = try (0..<4).map {
                    try BackgroundAssay.start(["worker", "--name", "w\($0)", "--concurrency", "2", "--json"], in: directory, label: "w\($0)",
                                              environment: server.environment)
                }
                let run = try await AssayProcess.runDetached(["run", "--workers", "--suite", "coding", "--json"], in: directory,
                                                             environment: server.environment)
                for worker in workers { await worker.stop() }
                #expect(run.status == 0, "\(run.stderr)")
                let summary = try #require(Self.json(run.stdout), "\(run.stdout)\(run.stderr)")
                #expect(summary["planned"]?.numberValue == Double(coding.items.count))
                #expect(summary["workers"]?.objectValue?["reclaimed"]?.numberValue == 0)
                var stored = 0.0
                for worker in workers {
                    #expect(worker.process.terminationStatus == 0, "\(worker.stderr)")
                    let done = try #require(Self.json(worker.stdout), "\(worker.stdout)\(worker.stderr)")
                    #expect(done["lost_claims"]?.numberValue == 0)
                    #expect(done["stopped"]?.stringValue == "signal")
                    stored += done["jobs"]?.numberValue ?? 0
                }
                #expect(stored == Double(coding.items.count), "each job's result was written by exactly one worker")
                let samples = try AssayDatabase(path: directory + "/results/assay.sqlite")
                #expect(try samples.sampleCount() == coding.items.count)
                #expect(try samples.sampleCount(status: .ok) > 0)
                let left = try await Self.queueRows(server: server, database: database)
                #expect(left == 0, "the run's jobs are removed once their samples are stored")
            }
        }
    }

    @Test("a worker SIGKILLed mid-job loses nothing: its leases run out, another worker finishes, nothing is stored twice")
    func killedWorker() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            try await Fixtures.withLiveSimulator(fixedLatencyMs: 1500) { port in
                let directory = try Self.directory(port: port, server: server, database: database)
                let doomed = try BackgroundAssay.start(["worker", "--name", "doomed", "--concurrency", "4", "--lease", "2"], in: directory,
                                                       label: "doomed", environment: server.environment)
                let coordinator = Task {
                    try await AssayProcess.runDetached(["run", "--workers", "--suite", "classification", "--concurrency", "8", "--json"],
                                                       in: directory, environment: server.environment)
                }
                var held = 0
                for _ in 0..<600 where held == 0 {
                    try await Task.sleep(for: .milliseconds(50))
                    held = (try? await Self.queueRows(server: server, database: database, claimedBy: "doomed")) ?? 0
                }
                #expect(held > 0, "the first worker claimed jobs: \(doomed.stderr)")
                kill(doomed.process.processIdentifier, SIGKILL)
                await AssayProcess.waitForExit(doomed.process)
                let rescuer = try BackgroundAssay.start(["worker", "--name", "rescuer", "--concurrency", "8", "--lease", "2", "--json"],
                                                        in: directory, label: "rescuer", environment: server.environment)
                let run = try await coordinator.value
                await rescuer.stop()
                #expect(run.status == 0, "\(run.stderr)")
                let summary = try #require(Self.json(run.stdout), "\(run.stdout)\(run.stderr)")
                let reclaimed = summary["workers"]?.objectValue?["reclaimed"]?.numberValue ?? 0
                #expect(reclaimed >= 1, "the killed worker's jobs were claimed again: \(run.stdout)")
                #expect(summary["errors"]?.numberValue == 0)
                let samples = try AssayDatabase(path: directory + "/results/assay.sqlite")
                #expect(try samples.sampleCount() == classification.items.count)
                #expect(try samples.sampleCount(status: .ok) == classification.items.count)
                let rescued = try #require(Self.json(rescuer.stdout), "\(rescuer.stderr)")
                #expect((rescued["jobs"]?.numberValue ?? 0) >= reclaimed)
                #expect(rescued["lost_claims"]?.numberValue == 0)
            }
        }
    }

    @Test("nightly --workers: the workers measure tonight's plan, the measuring machine stores their samples and builds the catalog")
    func nightlyWithWorkers() async throws {
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/suites", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.suitesDirectory + "/classification/support-ticket-intent.yaml",
                                        toPath: directory + "/suites/support-ticket-intent.yaml")
        let items = try SuiteLoader.loadAll(directory: directory + "/suites")[0].items.count
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            try await Fixtures.withLiveSimulator { port in
                try ("suites: suites\n" + Fixtures.nightlyConfig(port: port) + server.configSection(database: database))
                    .write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
                let workers = try (0..<2).map {
                    try BackgroundAssay.start(["worker", "--name", "n\($0)", "--json"], in: directory, label: "n\($0)", environment: server.environment)
                }
                let nightly = try await AssayProcess.runDetached(["nightly", "--workers", "--json"], in: directory, environment: server.environment)
                for worker in workers { await worker.stop() }
                #expect(nightly.status == 0, "\(nightly.stderr)")
                let summary = try #require(Self.json(nightly.stdout), "\(nightly.stdout)\(nightly.stderr)")
                #expect(summary["samples"]?.numberValue == Double(2 * items), "both models measured on every item")
                #expect(summary["catalog_changes"]?.arrayValue == [.string("catalog created")])
                #expect(FileManager.default.fileExists(atPath: directory + "/catalog/catalog.json"))
                let stored = try workers.map { try #require(Self.json($0.stdout), "\($0.stderr)")["jobs"]?.numberValue ?? 0 }.reduce(0, +)
                #expect(stored == Double(2 * items))
            }
        }
    }

    @Test("a budget smaller than the run holds with workers: jobs are queued only while their cost ceilings fit")
    func budgetHolds() async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            try await Fixtures.withLiveSimulator { port in
                let directory = try Self.directory(port: port, server: server, database: database)
                let worker = try BackgroundAssay.start(["worker", "--name", "w", "--concurrency", "8"], in: directory, label: "w",
                                                       environment: server.environment)
                // pebble-1's ceiling is about $0.0013 a request (16,384 max tokens at $0.08/M): room for a few.
                let run = try await AssayProcess.runDetached(["run", "--workers", "--suite", "classification", "--budget", "0.004", "--json"],
                                                             in: directory, environment: server.environment)
                await worker.stop()
                #expect(run.status == 0, "\(run.stderr)")
                let summary = try #require(Self.json(run.stdout), "\(run.stdout)\(run.stderr)")
                #expect(summary["stopped_by_budget"] == .bool(true))
                let spent = try #require(summary["spent_nusd"]?.numberValue)
                #expect(spent > 0 && spent <= 4_000_000, "spent \(spent) nano-USD of a 4,000,000 budget")
                #expect((summary["completed"]?.numberValue ?? 0) < summary["planned"]?.numberValue ?? 0)
            }
        }
    }

    @Test("a job whose provider fails is stored as the same error sample a local run stores")
    func providerFailureLikeLocal() async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            try await Fixtures.withLiveSimulator { port in
                // A model the provider does not have: every request for it is refused (404), none retried.
                let directory = try Self.directory(port: port, server: server, database: database,
                                                   extraModels: ["{id: sim/ghost-1, efforts: [none], price: {input: \"1\", output: \"1\"}}"])
                let local = try await AssayProcess.runDetached(["run", "--suite", "classification", "--database", "results/local.sqlite", "--json"],
                                                               in: directory)
                #expect(local.status == 3, "some samples failed: \(local.stderr)")
                let worker = try BackgroundAssay.start(["worker", "--name", "w", "--json"], in: directory, label: "w", environment: server.environment)
                let remote = try await AssayProcess.runDetached(
                    ["run", "--workers", "--suite", "classification", "--database", "results/remote.sqlite", "--json"],
                    in: directory, environment: server.environment)
                await worker.stop()
                #expect(remote.status == 3, "\(remote.stderr)")
                let localKinds = try Self.errorKinds(directory + "/results/local.sqlite")
                let remoteKinds = try Self.errorKinds(directory + "/results/remote.sqlite")
                #expect(!localKinds.isEmpty)
                #expect(Set(remoteKinds.keys) == Set(localKinds.keys), "local \(localKinds), workers \(remoteKinds)")
                #expect(remoteKinds.values.reduce(0, +) == localKinds.values.reduce(0, +))
                #expect(Self.json(remote.stdout)?["error_kinds"] == Self.json(local.stdout)?["error_kinds"])
            }
        }
    }

    @Test("jobs a worker cannot trust (unreadable payload, unknown suite, a suite that does not match its hash) end as error samples, and the worker goes on")
    func untrustedJobs() async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            try await Fixtures.withLiveSimulator { port in
                let directory = try Self.directory(port: port, server: server, database: database)
                let forged = String(repeating: "ab", count: 32)
                let payload = { @Sendable (sha: String) in
                    """
                    {"suite": "s", "suite_sha256": "\(sha)", "item": "i", "model": "sim/pebble-1", "effort": "none", "epoch": 0,
                     "max_tokens": 100, "price": {"nanoUSDPerMTok": []}}
                    """
                }
                try await Self.withQueue(server: server, database: database) { queue in
                    try await queue.migrate()
                    try await queue.publishSuite(sha256: forged, name: "s", body: "suite: s\ntask: t\nversion: 1\ngrader: {type: exact}\nitems: [{id: i, prompt: p, answer: a}]\n")
                    _ = try await queue.enqueue(run: "attack", payload: "not json at all")
                    _ = try await queue.enqueue(run: "attack", payload: payload(String(repeating: "0", count: 64)))
                    _ = try await queue.enqueue(run: "attack", payload: payload(forged))
                    _ = try await queue.enqueue(run: "attack", payload: #"{"suite": "s", "model": "no-slash", "effort": "none"}"#)
                }
                let worker = try await AssayProcess.runDetached(["worker", "--once", "--json"], in: directory, environment: server.environment)
                #expect(worker.status == 0, "\(worker.stderr)")
                let summary = try #require(Self.json(worker.stdout), "\(worker.stdout)\(worker.stderr)")
                #expect(summary["jobs"]?.numberValue == 4)
                #expect(summary["errors"]?.numberValue == 4)
                #expect(summary["stopped"]?.stringValue == "idle")
                let messages = try await Self.withQueue(server: server, database: database) { queue in
                    try await queue.collect(run: "attack").sorted { $0.id < $1.id }.map { job -> String in
                        let sample = Self.json(job.result ?? "")?["sample"]?.objectValue
                        #expect(sample?["status"]?.stringValue == "error")
                        #expect(sample?["errorKind"]?.stringValue == "job")
                        return sample?["errorMessage"]?.stringValue ?? ""
                    }
                }
                #expect(messages.count == 4)
                #expect(messages[0].contains("payload is not a job"))
                #expect(messages[1].contains("never published"))
                #expect(messages[2].contains("does not match its hash"))
                #expect(messages[3].contains("payload is not a job") || messages[3].contains("not provider/model"))
            }
        }
    }

    @Test("worker and run --workers without a postgres: section fail with a config error naming it")
    func needsPostgres() async throws {
        let directory = try Fixtures.temporaryDirectory()
        try "providers:\n  sim: {type: openai, base_url: \"http://127.0.0.1:9/v1\"}\nmodels:\n  - {id: sim/pebble-1, efforts: [none]}\n"
            .write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
        for arguments in [["worker", "--once"], ["run", "--workers"], ["nightly", "--workers"]] {
            let result = try AssayProcess.run(arguments, in: directory)
            #expect(result.status == 78, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("postgres:"), "\(result.stderr)")
        }
        let badLease = try AssayProcess.run(["worker", "--lease", "0"], in: directory)
        #expect(badLease.status == 64, "\(badLease.stderr)")
        #expect(badLease.stderr.contains("--lease"))
    }

    // MARK: - Helpers

    static func withQueue<T: Sendable>(server: PostgresServer, database: String, _ body: @Sendable (GradingQueue) async throws -> T) async throws -> T {
        let store = try PostgresStore(settings: server.settings(database: database), environment: server.environment, logger: Fixtures.quietLogger)
        return try await store.withRunning { store in try await body(GradingQueue(store: store)) }
    }

    /// Jobs in the queue (claimed by `claimedBy` and not finished, when given).
    static func queueRows(server: PostgresServer, database: String, claimedBy: String? = nil) async throws -> Int {
        try await withQueue(server: server, database: database) { queue in
            let rows = if let claimedBy {
                try await queue.store.query("SELECT count(*) FROM assay_grading_job WHERE claimed_by = \(claimedBy) AND state = 'claimed'",
                                            doing: "a test count")
            } else {
                try await queue.store.query("SELECT count(*) FROM assay_grading_job", doing: "a test count")
            }
            return try rows.first?.decode(Int.self) ?? 0
        }
    }

    /// Error samples by kind in the SQLite file at `path`.
    static func errorKinds(_ path: String) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var kinds: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT error_kind, COUNT(*) AS n FROM sample WHERE status = 'error' GROUP BY error_kind") {
                kinds[row["error_kind"] ?? "?"] = row["n"]
            }
            return kinds
        }
    }
}
