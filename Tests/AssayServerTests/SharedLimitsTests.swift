import AssayCore
import AssayPostgres
@testable import AssayServer
import AssayTestSupport
import Foundation
import Testing

/// Per-key limits across replicas: local counts, synchronised in batches with a real
/// PostgreSQL server; the stated tolerance holds under a burst, and a revoked key is refused by
/// every replica after one sync.
@Suite("shared limits across replicas")
struct SharedLimitsTests {
    @Test("between syncs each replica admits what the last sync left, so N replicas overshoot by at most (N - 1) x what one admits")
    func countsTolerance() {
        var replicas = Array(repeating: SharedCounts(), count: 3)
        for index in replicas.indices { replicas[index].apply(keys: [], minute: 100, requests: ["team": 7], day: 1, spend: [:]) }
        // A burst of 20 requests at each replica before any sync: each admits the 3 left under 10.
        let admitted = replicas.indices.map { index in (0..<20).filter { _ in replicas[index].admit("team", rpm: 10, minute: 100, secondsIntoMinute: 30) == nil }.count }
        #expect(admitted == [3, 3, 3])
        #expect(replicas[0].admit("team", rpm: 10, minute: 100, secondsIntoMinute: 30) == 30, "the wait is until the next minute")
        // After a sync that saw every replica's counts, none admits more this minute.
        for index in replicas.indices { _ = replicas[index].takePending() }
        replicas[1].apply(keys: [], minute: 100, requests: ["team": 16], day: 1, spend: [:])
        #expect(replicas[1].admit("team", rpm: 10, minute: 100, secondsIntoMinute: 31) != nil)
        // A new minute starts from zero.
        #expect(replicas[1].admit("team", rpm: 10, minute: 101, secondsIntoMinute: 0) == nil)
    }

    @Test("counts handed to a sync still count until its totals come back")
    func syncingStillCounts() {
        var counts = SharedCounts()
        counts.apply(keys: [], minute: 5, requests: [:], day: 1, spend: [:])
        for _ in 0..<3 { _ = counts.admit("team", rpm: 4, minute: 5, secondsIntoMinute: 0) }
        _ = counts.takePending()
        #expect(counts.admit("team", rpm: 4, minute: 5, secondsIntoMinute: 0) == nil)
        #expect(counts.admit("team", rpm: 4, minute: 5, secondsIntoMinute: 0) != nil, "the three in the sync are still counted")
        counts.apply(keys: [], minute: 5, requests: ["team": 3], day: 1, spend: [:])
        #expect(counts.admit("team", rpm: 4, minute: 5, secondsIntoMinute: 0) != nil, "3 stored + 1 pending")
    }

    @Test("a failed sync keeps the counts for the next one; spend adds up per UTC day")
    func restoreAndSpend() {
        var counts = SharedCounts()
        counts.charge("team", Money(nanoUSD: 500), day: 3)
        _ = counts.admit("team", rpm: 5, minute: 9, secondsIntoMinute: 0)
        let (requests, spend) = counts.takePending()
        #expect(counts.spent("team", day: 3) == Money(nanoUSD: 500), "still counted while the sync runs")
        counts.restore(requests, spend)
        #expect(counts.spent("team", day: 3) == Money(nanoUSD: 500))
        #expect(counts.pendingRequests[.init(name: "team", minute: 9)] == 1)
        counts.apply(keys: [], minute: 9, requests: ["team": 4], day: 3, spend: ["team": Money(nanoUSD: 1_000)])
        #expect(counts.spent("team", day: 3) == Money(nanoUSD: 1_500))
        #expect(counts.spent("team", day: 4) == .zero)
    }

    /// The windows stand still (a slow, loaded machine must not cross a minute mid-test): noon UTC of a fixed day.
    static let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 20_430 * 86_400 + 43_200) }

    static func entry(_ name: String, rpm: Int?, budget: String? = nil) -> (key: String, entry: ClientKeyFile.Entry) {
        let key = ClientKeyFile.newKey()
        return (key, ClientKeyFile.Entry(name: name, sha256: ClientKeyFile.hash(key), rpm: rpm, createdAt: "2026-12-07T00:00:00Z", dailyBudgetUsd: budget))
    }

    /// Three replicas' limits on one real PostgreSQL, each on its own store; the first started
    /// (its tables migrated), the others left for `body` to start once it has added its keys.
    static func withThreeReplicas(_ body: @Sendable (_ limits: [SharedLimits], _ first: PostgresStore) async throws -> Void) async throws {
        try await PostgresServer.withRunning { server in
            let settings = server.settings(database: try await server.createDatabase())
            let stores = try (0..<3).map { _ in try PostgresStore(settings: settings, environment: server.environment, logger: Fixtures.quietLogger) }
            try await stores[0].withRunning { a in
                try await stores[1].withRunning { b in
                    try await stores[2].withRunning { c in
                        let limits = [a, b, c].map { SharedLimits(store: $0, interval: .milliseconds(100), logger: Fixtures.quietLogger, clock: Self.clock) }
                        try await limits[0].start()
                        try await body(limits, a)
                    }
                }
            }
        }
    }

    @Test("three replicas on one store: a burst stays within the key's rpm plus the stated tolerance, spend and revocation reach every replica")
    func replicasOnPostgres() async throws {
        try await Self.withThreeReplicas { limits, a in
            let admin = SharedClientKeys(store: a)
            let (key, entry) = Self.entry("team", rpm: 30, budget: "0.000002")
            try await admin.add(entry)
            for limit in limits { try await limit.start() }
            let gates = limits.map { ClientKeyGate(shared: $0, defaultRPM: 600) }
            #expect(gates.allSatisfy { $0.count == 1 })
            // Round 1: 10 requests at each replica, then a sync: 30 admitted, the limit reached everywhere.
            var admitted = 0
            for gate in gates { admitted += (0..<10).filter { _ in gate.check(key: key) == .allowed(name: "team") }.count }
            #expect(admitted == 30)
            // Two sync rounds: the first replica to sync in the first round has not yet seen the others' counts.
            for _ in 0..<2 { for limit in limits { try await limit.sync() } }
            for gate in gates { if case .limited = gate.check(key: key) {} else { Issue.record("a replica admitted past the synced limit") } }
            // Spend charged at one replica is seen by the others after a sync.
            gates[0].charge("team", Money(nanoUSD: 2_500))
            #expect(gates[2].exhaustedBudget("team") == nil)
            for limit in limits { try await limit.sync() }
            #expect(gates[2].exhaustedBudget("team")?.spent == Money(nanoUSD: 2_500))
            // Revocation: after one sync no replica knows the key.
            try await admin.revoke("team")
            for limit in limits { try await limit.sync() }
            #expect(gates.allSatisfy { $0.check(key: key) == .unknownKey })
        }
    }

    @Test("a concurrent burst across three syncing replicas overshoots by no more than the stated tolerance")
    func burstTolerance() async throws {
        try await Self.withThreeReplicas { limits, a in
            let (key, entry) = Self.entry("burst", rpm: 100)
            try await SharedClientKeys(store: a).add(entry)
            for limit in limits { try await limit.start() }
            let gates = limits.map { ClientKeyGate(shared: $0, defaultRPM: 600) }
            // Each replica takes 40 requests per sync interval (4 rounds of 10, syncing in between), 480 offered in all.
            var admittedPerInterval: [Int] = []
            var total = 0
            for _ in 0..<4 {
                for gate in gates {
                    let admitted = (0..<40).filter { _ in gate.check(key: key) == .allowed(name: "burst") }.count
                    admittedPerInterval.append(admitted)
                    total += admitted
                }
                for limit in limits { try await limit.sync() }
            }
            let worstPerReplica = admittedPerInterval.max() ?? 0
            // Tolerance: at most (replicas - 1) x what one replica admits between two syncs.
            #expect(total >= 100)
            #expect(total <= 100 + 2 * worstPerReplica, "admitted \(total) of an rpm of 100")
            let stored = try await a.query("SELECT requests FROM key_minute WHERE name = 'burst'", doing: "a test read")
                .map { try $0.decode(Int.self) }.reduce(0, +)
            #expect(stored == total, "every admitted request is counted in the store")
        }
    }
}
