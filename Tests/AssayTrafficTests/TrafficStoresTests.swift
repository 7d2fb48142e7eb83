import AssayCore
import AssayPostgres
import AssayTestSupport
@testable import AssayTraffic
import Foundation
import GRDB
import Testing

/// The traffic log on both stores, from one schema description: the same writes give the same
/// report on the SQLite file and on a real PostgreSQL server.
@Suite("traffic log on SQLite and PostgreSQL")
struct TrafficStoresTests {
    /// The tables `2026-12-07-traffic` shipped with, as they were written by hand before the
    /// shared description: the description must render exactly these for SQLite.
    static let shipped = """
        CREATE TABLE request (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, day INTEGER NOT NULL, client TEXT, endpoint TEXT NOT NULL,
            requested_model TEXT NOT NULL, stream INTEGER NOT NULL CHECK (stream IN (0, 1)), task TEXT, task_source TEXT, task_confidence REAL,
            model TEXT, effort TEXT, catalog_sha256 TEXT, fallbacks INTEGER NOT NULL CHECK (fallbacks >= 0), status INTEGER NOT NULL, error TEXT,
            latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0), ttft_ms INTEGER, input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
            cached_input_tokens INTEGER NOT NULL CHECK (cached_input_tokens >= 0), output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
            reasoning_tokens INTEGER NOT NULL CHECK (reasoning_tokens >= 0), cost_nusd INTEGER CHECK (cost_nusd >= 0),
            baseline_cost_nusd INTEGER CHECK (baseline_cost_nusd >= 0)) STRICT
        CREATE INDEX request_at ON request(at_ms)
        CREATE TABLE capture (request_id INTEGER PRIMARY KEY REFERENCES request(id) ON DELETE CASCADE, prompt TEXT NOT NULL, answer TEXT NOT NULL) STRICT
        CREATE TABLE daily (day INTEGER NOT NULL, client TEXT NOT NULL, endpoint TEXT NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL,
            effort TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL, fallbacks INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
            cached_input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost_nusd INTEGER NOT NULL,
            baseline_cost_nusd INTEGER NOT NULL, baseline_priced INTEGER NOT NULL, baseline_priced_cost_nusd INTEGER NOT NULL,
            latency_histogram TEXT NOT NULL, PRIMARY KEY (day, client, endpoint, task, model, effort)) STRICT, WITHOUT ROWID
        """

    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    @Test("the SQLite file's tables, rendered from the description, are the ones the first traffic migration shipped")
    func sqliteSchemaUnchanged() throws {
        let database = try TrafficDatabase.inMemory()
        let stored = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('request', 'request_at', 'capture', 'daily') ORDER BY rowid")
        }
        #expect(Self.squeezed(stored.joined()) == Self.squeezed(Self.shipped))
    }

    static let day = 20_430
    static func entries() -> [TrafficEntry] {
        (0..<60).map { index in
            TrafficEntry(at: Date(timeIntervalSince1970: (Double(day) + 0.5) * 86_400 + Double(index)), client: index % 3 == 0 ? "web" : "batch",
                         endpoint: index % 2 == 0 ? "chat_completions" : "messages", requestedModel: "auto", stream: index % 4 == 0,
                         task: index % 5 == 0 ? nil : "math", taskSource: "classifier", taskConfidence: 0.75, model: index == 7 ? nil : "sim/cheap",
                         effort: index == 7 ? nil : "low", catalogSha256: "abc", fallbacks: index % 10 == 0 ? 1 : 0, status: index == 7 ? 502 : 200,
                         error: index == 7 ? "upstream_failed" : nil, latencyMs: 10 * index, ttftMs: index % 4 == 0 ? 5 : nil,
                         usage: Usage(inputTokens: 100 + index, cachedInputTokens: 3, outputTokens: 20, reasoningTokens: index % 2),
                         cost: index == 7 ? nil : Money(nanoUSD: 1_000 + Int64(index)), baselineCost: index % 6 == 0 ? nil : Money(nanoUSD: 9_000),
                         capture: index % 20 == 0 ? .init(prompt: "prompt \(index) with 'quotes'; DROP TABLE request", answer: "answer") : nil)
        }
    }

    @Test("the same writes, in batches, give the same report on both stores, by every dimension")
    func sameReport() async throws {
        try await PostgresServer.withRunning { server in
            let sqlite = try TrafficDatabase.inMemory()
            let store = try PostgresStore(settings: server.settings(database: try await server.createDatabase()), environment: server.environment,
                                          logger: Fixtures.quietLogger)
            try await store.withRunning { store in
                let postgres = PostgresTrafficStore(store: store)
                try await postgres.migrate()
                try await postgres.migrate()
                let entries = Self.entries()
                for batch in [entries[..<25], entries[25...]] {
                    try sqlite.write(Array(batch))
                    try await postgres.write(Array(batch))
                }
                #expect(try await postgres.requestCount() == 60)
                for dimension in TrafficReport.Dimension.allCases {
                    let expected = try sqlite.report(from: Self.day - 1, to: Self.day, by: dimension)
                    let actual = try await postgres.report(from: Self.day - 1, to: Self.day, by: dimension)
                    #expect(actual == expected, "\(dimension)")
                }
                let captured = try await store.query("SELECT prompt FROM capture ORDER BY request_id", doing: "a test read").map { try $0.decode(String.self) }
                #expect(captured.count == 3 && captured[0].contains("DROP TABLE request"))
                // Retention: by count keeps the newest; the rollups stay.
                let deleted = try await postgres.trim(maxAgeDays: 36_500, maxRows: 10, now: Date())
                #expect(deleted == 50)
                #expect(try await postgres.requestCount() == 10)
                #expect(try await postgres.report(from: Self.day, to: Self.day, by: .day).totals.requests == 60)
                #expect(try await postgres.trim(maxAgeDays: 1, maxRows: 1_000, now: Date()) == 10)
            }
        }
    }

    @Test("replicas writing the same rollup rows at once lose nothing: counts and latency histograms add up")
    func concurrentWriters() async throws {
        try await PostgresServer.withRunning { server in
            let settings = server.settings(database: try await server.createDatabase())
            let stores = try (0..<3).map { _ in try PostgresStore(settings: settings, environment: server.environment, logger: Fixtures.quietLogger) }
            try await stores[0].withRunning { first in
                try await stores[1].withRunning { second in
                    try await stores[2].withRunning { third in
                        try await PostgresTrafficStore(store: first).migrate()
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for store in [first, second, third] {
                                group.addTask {
                                    for _ in 0..<10 { try await PostgresTrafficStore(store: store).write(Self.entries()) }
                                }
                            }
                            try await group.waitForAll()
                        }
                        let report = try await PostgresTrafficStore(store: second).report(from: Self.day, to: Self.day, by: .key)
                        let sqlite = try TrafficDatabase.inMemory()
                        for _ in 0..<30 { try sqlite.write(Self.entries()) }
                        #expect(report == (try sqlite.report(from: Self.day, to: Self.day, by: .key)))
                        #expect(report.totals.requests == 1_800)
                    }
                }
            }
        }
    }
}
