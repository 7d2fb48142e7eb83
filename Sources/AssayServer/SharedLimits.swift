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

    /// Adds this replica's counts to the store and reads back the keys and the global totals: at
    /// most three statements, no transaction (a sync runs five times a second on every replica,
    /// so its round trips are most of what a replica costs PostgreSQL and itself when idle).
    /// The counts go in one statement (both UPSERTs), so a failed sync adds nothing and they are
    /// restored for the next; one query then reads every key with its totals.
    public func sync() async throws {
        let now = clock()
        let (requests, spend) = counts.withLock { $0.takePending() }
        let (minute, day) = (Self.minute(now), Self.day(now))
        do { try await add(requests: requests, spend: spend) } catch {
            counts.withLock { $0.restore(requests, spend) }
            throw error
        }
        if requests.keys.contains(where: { $0.minute < minute }) {
            try await store.query("DELETE FROM key_minute WHERE minute < \(Int64(minute - 60))", doing: "trimming client key counts")
        }
        var keys: [ClientKeyFile.Entry] = [], minuteTotals: [String: Int] = [:], dayTotals: [String: Money] = [:]
        let rows = try await store.query("""
            SELECT k.name, k.sha256, k.rpm, k.daily_budget_usd, k.max_tokens, k.created_at,
                (SELECT m.requests FROM key_minute m WHERE m.name = k.name AND m.minute = \(Int64(minute))),
                (SELECT d.spend_nusd FROM key_day d WHERE d.name = k.name AND d.day = \(Int64(day)))
            FROM client_key k
            """, doing: "reading client keys and their counts")
        for row in rows {
            let (name, sha256, rpm, budget, maxTokens, createdAt, requests, spent) =
                try row.decode((String, String, Int?, String?, Int?, String, Int?, Int64?).self)
            keys.append(.init(name: name, sha256: sha256, rpm: rpm, createdAt: createdAt, dailyBudgetUsd: budget, maxTokens: maxTokens))
            if let requests { minuteTotals[name] = requests }
            if let spent { dayTotals[name] = Money(nanoUSD: spent) }
        }
        counts.withLock { $0.apply(keys: keys, minute: minute, requests: minuteTotals, day: day, spend: dayTotals) }
    }

    /// Adds this replica's pending counts in one statement: every key's requests for its minute and
    /// spend for its day, in key order (so two replicas lock rows in the same order).
    func add(requests: [SharedCounts.MinuteKey: Int], spend: [SharedCounts.DayKey: Money]) async throws {
        let minutes = requests.sorted { ($0.key.name, $0.key.minute) < ($1.key.name, $1.key.minute) }
        let days = spend.filter { $0.value > .zero }.sorted { ($0.key.name, $0.key.day) < ($1.key.name, $1.key.day) }
        guard !minutes.isEmpty || !days.isEmpty else { return }
        try await store.query("""
            WITH minutes AS (
                INSERT INTO key_minute (name, minute, requests)
                SELECT * FROM unnest(\(minutes.map(\.key.name))::text[], \(minutes.map { Int64($0.key.minute) })::bigint[],
                                     \(minutes.map { Int64($0.value) })::bigint[])
                ON CONFLICT (name, minute) DO UPDATE SET requests = key_minute.requests + excluded.requests
            ), days AS (
                INSERT INTO key_day (name, day, spend_nusd)
                SELECT * FROM unnest(\(days.map(\.key.name))::text[], \(days.map { Int64($0.key.day) })::bigint[],
                                     \(days.map(\.value.nanoUSD))::bigint[])
                ON CONFLICT (name, day) DO UPDATE SET spend_nusd = key_day.spend_nusd + excluded.spend_nusd
            )
            SELECT 1
            """, doing: "syncing client key counts")
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
