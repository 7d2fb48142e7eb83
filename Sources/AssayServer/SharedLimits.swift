import AssayCore
import AssayPostgres
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Client keys and their limits across replicas: each replica counts requests and spend
/// locally (`SharedCounts`, no database round trip on the request path) and every `interval`
/// adds its counts to the shared store (one UPSERT per key and window) and reads back the keys
/// and the global totals. A key removed from the store is refused by every replica after its
/// next sync. See `SharedCounts` for how far a burst can go over a limit.
public final class SharedLimits: Service, Sendable {
    let store: PostgresStore
    public let interval: Duration
    let logger: Logger
    let counts = Mutex(SharedCounts())
    /// The time windows are counted in (UTC minutes and days); tests hold it still.
    let clock: @Sendable () -> Date

    public init(store: PostgresStore, interval: Duration = .milliseconds(200), logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    /// Creates the key tables if needed and reads the keys once (call before serving).
    public func start() async throws {
        try await SharedClientKeys(store: store).migrate()
        try await sync()
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let interval = self.interval
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
            do { try await sync() } catch {
                logger.error("client key sync with PostgreSQL failed; counting locally until it works", metadata: ["assay.error": "\(error)"])
            }
        }
        try? await sync()
    }

    static func minute(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }
    static func day(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// Adds this replica's counts to the store and reads back the keys and the global totals.
    public func sync() async throws {
        let now = clock()
        let (requests, spend) = counts.withLock { $0.takePending() }
        let (minute, day) = (Self.minute(now), Self.day(now))
        do {
            let logger = self.logger
            let (keys, minuteTotals, dayTotals) = try await store.transaction(doing: "syncing client key counts") { connection in
                for (key, count) in requests.sorted(by: { ($0.key.name, $0.key.minute) < ($1.key.name, $1.key.minute) }) {
                    try await connection.query("""
                        INSERT INTO key_minute (name, minute, requests) VALUES (\(key.name), \(Int64(key.minute)), \(Int64(count)))
                        ON CONFLICT (name, minute) DO UPDATE SET requests = key_minute.requests + excluded.requests
                        """, logger: logger)
                }
                for (key, cost) in spend.sorted(by: { ($0.key.name, $0.key.day) < ($1.key.name, $1.key.day) }) where cost > .zero {
                    try await connection.query("""
                        INSERT INTO key_day (name, day, spend_nusd) VALUES (\(key.name), \(Int64(key.day)), \(cost.nanoUSD))
                        ON CONFLICT (name, day) DO UPDATE SET spend_nusd = key_day.spend_nusd + excluded.spend_nusd
                        """, logger: logger)
                }
                var keys: [ClientKeyFile.Entry] = []
                for try await (name, sha256, rpm, budget, maxTokens, createdAt) in try await connection.query(
                    "SELECT name, sha256, rpm, daily_budget_usd, max_tokens, created_at FROM client_key", logger: logger
                ).decode((String, String, Int?, String?, Int?, String).self) {
                    keys.append(.init(name: name, sha256: sha256, rpm: rpm, createdAt: createdAt, dailyBudgetUsd: budget, maxTokens: maxTokens))
                }
                var minuteTotals: [String: Int] = [:], dayTotals: [String: Money] = [:]
                for try await (name, count) in try await connection.query(
                    "SELECT name, requests FROM key_minute WHERE minute = \(Int64(minute))", logger: logger
                ).decode((String, Int).self) { minuteTotals[name] = count }
                for try await (name, nanoUSD) in try await connection.query(
                    "SELECT name, spend_nusd FROM key_day WHERE day = \(Int64(day))", logger: logger
                ).decode((String, Int64).self) { dayTotals[name] = Money(nanoUSD: nanoUSD) }
                if requests.keys.contains(where: { $0.minute < minute }) {
                    try await connection.query("DELETE FROM key_minute WHERE minute < \(Int64(minute - 60))", logger: logger)
                }
                return (keys, minuteTotals, dayTotals)
            }
            counts.withLock { $0.apply(keys: keys, minute: minute, requests: minuteTotals, day: day, spend: dayTotals) }
        } catch {
            counts.withLock { $0.restore(requests, spend) }
            throw error
        }
    }

    /// The key with this SHA-256, as of the last sync.
    func entry(sha256: String) -> ClientKeyFile.Entry? { counts.withLock { $0.keys[sha256] } }
    func entry(named name: String) -> ClientKeyFile.Entry? { counts.withLock { $0.keys.values.first { $0.name == name } } }
    var keyCount: Int { counts.withLock { $0.keys.count } }

    /// Takes one request of `name` (limit `rpm` per UTC minute across replicas); nil when admitted, else seconds to wait.
    func admit(_ name: String, rpm: Int) -> Int? {
        let now = clock()
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) % 60
        return counts.withLock { $0.admit(name, rpm: rpm, minute: Self.minute(now), secondsIntoMinute: seconds) }
    }

    func charge(_ name: String, _ cost: Money) { counts.withLock { $0.charge(name, cost, day: Self.day(clock())) } }
    func spent(_ name: String) -> Money { counts.withLock { $0.spent(name, day: Self.day(clock())) } }
}
