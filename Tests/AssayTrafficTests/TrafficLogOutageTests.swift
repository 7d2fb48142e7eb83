import AssayCore
import AssayPostgres
import AssayTestSupport
@testable import AssayTraffic
import Foundation
import Testing

/// The traffic log on a real PostgreSQL server that stops in the middle of a run (`pg_ctl stop
/// -m fast`, the connections cut) and starts again: batches that could not be written are kept
/// and arrive once the server is back, each row once; the queue's capacity bounds what is kept.
@Suite("traffic log through a PostgreSQL outage", .serialized)
struct TrafficLogOutageTests {
    static let day = 20_430

    /// Entries told apart by their latency (`index` ms), so the rows can be checked one by one.
    static func entries(_ indices: Range<Int>) -> [TrafficEntry] {
        indices.map { index in
            TrafficEntry(at: Date(timeIntervalSince1970: (Double(day) + 0.5) * 86_400 + Double(index)), client: "web", endpoint: "chat_completions",
                         requestedModel: "auto", stream: false, task: "math", taskSource: "classifier", taskConfidence: 0.9, model: "sim/cheap",
                         effort: "low", catalogSha256: "abc", fallbacks: 0, status: 200, error: nil, latencyMs: index, ttftMs: nil,
                         usage: Usage(inputTokens: 100, cachedInputTokens: 0, outputTokens: 20, reasoningTokens: 0),
                         cost: Money(nanoUSD: 1_000), baselineCost: Money(nanoUSD: 9_000), capture: nil)
        }
    }

    /// A migrated traffic store on a fresh database of `server`, its pool running for `body`.
    static func withStore(_ server: PostgresServer, _ body: @Sendable (PostgresStore, PostgresTrafficStore) async throws -> Void) async throws {
        let store = try PostgresStore(settings: server.settings(database: try await server.createDatabase()), environment: server.environment,
                                      logger: Fixtures.quietLogger)
        try await store.withRunning { store in
            let traffic = PostgresTrafficStore(store: store)
            try await traffic.migrate()
            try await body(store, traffic)
        }
    }

    /// Flushes until a flush succeeds (the pool reconnects with a backoff), for at most a minute.
    static func flushUntilWritten(_ log: TrafficLog) async throws -> Bool {
        for _ in 0..<120 {
            if await log.flush() { return true }
            try await Task.sleep(for: .milliseconds(500))
        }
        return false
    }

    static func latencies(_ store: PostgresStore) async throws -> [Int] {
        try await store.query("SELECT latency_ms FROM request ORDER BY latency_ms", doing: "reading the test's rows").map { try $0.decode(Int.self) }
    }

    @Test("batches that fail while the server is down are kept and arrive, each row once, when it is back")
    func outage() async throws {
        try await PostgresServer.withRunning { server in
            try await Self.withStore(server) { store, traffic in
                let log = TrafficLog(store: traffic, settings: .init(queueCapacity: 1_000, writeTimeout: .seconds(1)), logger: Fixtures.quietLogger)
                for entry in Self.entries(0..<20) { #expect(log.record(entry)) }
                #expect(await log.flush())
                #expect(log.written == 20)

                try await server.halt()
                for entry in Self.entries(20..<50) { #expect(log.record(entry)) }
                #expect(await log.flush() == false, "the server is down")
                #expect(log.pending == 30 && log.dropped == 0, "the failed batch is kept: \(log.pending) pending, \(log.dropped) dropped")
                for entry in Self.entries(50..<60) { #expect(log.record(entry)) }
                #expect(await log.flush() == false, "still down")
                #expect(log.pending == 40 && log.dropped == 0, "kept again, with what arrived since: \(log.pending) pending")

                try await server.resume()
                #expect(try await Self.flushUntilWritten(log), "written once the server is back")
                #expect(log.pending == 0 && log.written == 60 && log.dropped == 0)
                #expect(try await Self.latencies(store) == Array(0..<60), "every row, once")
                #expect(try await traffic.report(from: Self.day, to: Self.day, by: .day).totals.requests == 60, "and in the daily rollups once")
            }
        }
    }

    @Test("while the server is down the queue's capacity bounds what is kept; the excess and a failed last flush are counted as dropped")
    func bounded() async throws {
        try await PostgresServer.withRunning { server in
            try await Self.withStore(server) { store, traffic in
                let log = TrafficLog(store: traffic, settings: .init(queueCapacity: 25, writeTimeout: .seconds(1)), logger: Fixtures.quietLogger)
                try await server.halt()
                for entry in Self.entries(0..<20) { #expect(log.record(entry)) }
                #expect(await log.flush() == false)
                let accepted = Self.entries(20..<30).filter { log.record($0) }.count
                #expect(accepted == 5, "the queue holds 25: the kept batch counts against it")
                #expect(log.pending == 25 && log.dropped == 5)
                #expect(await log.flush() == false)
                #expect(log.pending == 25 && log.dropped == 5, "nothing more lost by a second failed flush")

                try await server.resume()
                #expect(try await Self.flushUntilWritten(log))
                #expect(log.written == 25)
                #expect(try await Self.latencies(store) == Array(0..<25), "the oldest 25, each once")

                // Shutting down while the server is down: the last flush cannot keep anything.
                try await server.halt()
                for entry in Self.entries(30..<33) { #expect(log.record(entry)) }
                #expect(await log.flush(final: true) == false)
                #expect(log.pending == 0 && log.dropped == 8, "the last flush's 3 are counted as dropped")
                try await server.resume()
            }
        }
    }
}
