import AssayCore
import AssayPostgres
import AssayTestSupport
import AssayTraffic
import Foundation
import Testing

/// `assay suites from-traffic` with `postgres:` in the config reads every replica's captures from
/// the shared store (a real PostgreSQL server), and writes the same suites as from a SQLite file
/// holding the same captures.
@Suite("suites from-traffic on the shared PostgreSQL store", .serialized)
struct SuitesFromSharedTrafficTests {
    static let countries = ["France", "Kenya", "Peru", "Norway", "Chile", "Japan"]

    /// Captured, answered requests (one replica's share when `replica` is given), plus one failed request that is never an item.
    static func entries(replica: Int) -> [TrafficEntry] {
        let answered = countries.enumerated().filter { $0.offset % 2 == replica }.map { index, country in
            TrafficEntry(at: Date(timeIntervalSince1970: 1_796_000_000 + Double(index)), client: "web", endpoint: "chat_completions",
                         requestedModel: "auto", stream: false, task: "classification", taskSource: "classifier", model: "sim/condor-max",
                         effort: "low", status: 200, latencyMs: 5,
                         capture: .init(prompt: "user: Which currency does \(country) use, and since which year?", answer: "captured \(country)"))
        }
        let failed = TrafficEntry(at: Date(timeIntervalSince1970: 1_796_000_100), client: "web", endpoint: "chat_completions",
                                  requestedModel: "auto", stream: false, task: "classification", status: 502, latencyMs: 5,
                                  capture: .init(prompt: "user: failed request \(replica)", answer: ""))
        return answered + [failed]
    }

    @Test("with postgres: the captures of every replica become the suite a SQLite log with the same captures gives")
    func sharedCaptures() async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            let store = try PostgresStore(settings: server.settings(database: database), environment: server.environment, logger: Fixtures.quietLogger)
            try await store.withRunning { store in
                let shared = PostgresTrafficStore(store: store)
                try await shared.migrate()
                // Two replicas' batches.
                try await shared.write(Self.entries(replica: 0))
                try await shared.write(Self.entries(replica: 1))
            }
            let directory = try Fixtures.temporaryDirectory("shared-traffic-suites")
            let file = try TrafficDatabase(path: directory + "/traffic.sqlite")
            try file.write(Self.entries(replica: 0) + Self.entries(replica: 1))
            // Port 9 has no listener: every reference is captured from the baseline, nothing may be asked.
            try Data("""
                serve:
                  baseline: sim/condor-max
                providers:
                  sim: {type: openai, base_url: 'http://127.0.0.1:9/v1'}
                models:
                  - {id: sim/condor-max, price: {input: '1', output: '1'}}
                \(server.configSection(database: database))
                """.utf8).write(to: URL(fileURLWithPath: directory + "/assay.yaml"))
            let fromShared = try await AssayProcess.runDetached(
                ["suites", "from-traffic", "--config", directory + "/assay.yaml", "--out", directory + "/shared", "--min-items", "1", "--json"],
                in: directory, environment: server.environment)
            #expect(fromShared.status == 0, "\(fromShared.stderr)")
            let summary = try #require(JSONValue(parsing: fromShared.stdout)?.objectValue)
            #expect(summary["captures"]?.numberValue == 6, "the six answered captures of both replicas: \(fromShared.stdout)")
            let fromFile = try await AssayProcess.runDetached(
                ["suites", "from-traffic", "--config", directory + "/assay.yaml", "--traffic", directory + "/traffic.sqlite",
                 "--out", directory + "/file", "--min-items", "1", "--json"], in: directory, environment: server.environment)
            #expect(fromFile.status == 0, "\(fromFile.stderr)")
            let sharedSuite = try String(contentsOfFile: directory + "/shared/traffic-classification.yaml", encoding: .utf8)
            #expect(sharedSuite == (try String(contentsOfFile: directory + "/file/traffic-classification.yaml", encoding: .utf8)))
            for country in Self.countries { #expect(sharedSuite.contains("captured \(country)"), "\(country)'s reference") }
            #expect(!sharedSuite.contains("failed request"))

            // The shared store without the password: the command says which variable to set, and never prints a password.
            let noPassword = try await AssayProcess.runDetached(
                ["suites", "from-traffic", "--config", directory + "/assay.yaml", "--out", directory + "/none"], in: directory)
            #expect(noPassword.status != 0 && noPassword.stderr.contains(PostgresServer.passwordVariable), "\(noPassword.stderr)")
            #expect(!noPassword.stderr.contains(server.password))
        }
    }
}
