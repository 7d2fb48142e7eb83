import AssayCore
@testable import AssayPostgres
import AssayTestSupport
import Foundation
import PostgresNIO
import Testing

/// The grading workers' queue on a real server: claims never overlap, leases run out, a result is
/// written once, under the claim that is current.
@Suite("grading queue, on a real server", .serialized)
struct GradingQueueTests {
    /// `body` with a migrated queue in a fresh database of a fresh server.
    static func withQueue(_ body: @Sendable (GradingQueue) async throws -> Void) async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            let store = try PostgresStore(settings: server.settings(database: database), environment: server.environment,
                                          logger: Fixtures.quietLogger)
            try await store.withRunning { store in
                let queue = GradingQueue(store: store)
                try await queue.migrate()
                try await body(queue)
            }
        }
    }

    @Test("eight workers claiming at once take each of 200 jobs exactly once")
    func concurrentClaimsNeverOverlap() async throws {
        try await Self.withQueue { queue in
            var queued: Set<Int64> = []
            for index in 0..<200 { queued.insert(try await queue.enqueue(run: "r", payload: "{\"n\": \(index)}")) }
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await queue.claim(worker: "w\(worker)", limit: 5, leaseSeconds: 60)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claimed.count == 200)
            #expect(Set(claimed) == queued)
            #expect(try await queue.counts(run: "r") == QueueCounts(pending: 0, claimed: 200, finished: 0, workers: 8))
        }
    }

    @Test("a lease that runs out hands the job to another worker, and the first worker's late result is refused")
    func expiredLeaseIsReclaimed() async throws {
        try await Self.withQueue { queue in
            let id = try await queue.enqueue(run: "r", payload: "{}")
            let first = try #require(try await queue.claim(worker: "a", limit: 1, leaseSeconds: 0.3).first)
            #expect(first.id == id && first.attempts == 1)
            #expect(try await queue.claim(worker: "b", limit: 1, leaseSeconds: 30).isEmpty, "a live claim is not taken")
            try await Task.sleep(for: .milliseconds(600))
            let second = try #require(try await queue.claim(worker: "b", limit: 1, leaseSeconds: 30).first)
            #expect(second.id == id && second.attempts == 2 && second.token != first.token)
            #expect(try await queue.complete(first, result: "from a") == false)
            #expect(try await queue.complete(second, result: "from b") == true)
            #expect(try await queue.complete(second, result: "again") == false, "a result is written once")
            let finished = try await queue.collect(run: "r")
            #expect(finished == [FinishedJob(id: id, result: "from b", attempts: 2, worker: "b")])
            #expect(try await queue.collect(run: "r").isEmpty, "each finished job is collected once")
        }
    }

    @Test("renewing keeps a claim past its first lease; a token that is not held is reported lost")
    func renewalKeepsClaims() async throws {
        try await Self.withQueue { queue in
            _ = try await queue.enqueue(run: "r", payload: "{}")
            let claim = try #require(try await queue.claim(worker: "a", limit: 1, leaseSeconds: 0.5).first)
            for _ in 0..<4 {
                try await Task.sleep(for: .milliseconds(250))
                #expect(try await queue.renew(tokens: [claim.token], leaseSeconds: 0.5).isEmpty)
            }
            #expect(try await queue.claim(worker: "b", limit: 1, leaseSeconds: 30).isEmpty)
            #expect(try await queue.renew(tokens: [claim.token, 999_999], leaseSeconds: 0.5) == [999_999])
            #expect(try await queue.complete(claim, result: "ok"))
        }
    }

    @Test("released claims are claimable at once and do not count as attempts")
    func releaseHandsBack() async throws {
        try await Self.withQueue { queue in
            _ = try await queue.enqueue(run: "r", payload: "{}")
            let claim = try #require(try await queue.claim(worker: "a", limit: 1, leaseSeconds: 60).first)
            try await queue.release(tokens: [claim.token])
            let again = try #require(try await queue.claim(worker: "b", limit: 1, leaseSeconds: 60).first)
            #expect(again.id == claim.id && again.attempts == 1)
            #expect(try await queue.complete(claim, result: "stale") == false)
        }
    }

    @Test("a job whose workers are lost maxAttempts times ends failed, without a result, and is claimed no more")
    func exhaustedJobFails() async throws {
        try await Self.withQueue { queue in
            let id = try await queue.enqueue(run: "r", payload: "{}")
            for attempt in 1...GradingQueue.maxAttempts {
                let claim = try #require(try await queue.claim(worker: "w\(attempt)", limit: 1, leaseSeconds: 0.1).first)
                #expect(claim.attempts == attempt)
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(try await queue.claim(worker: "late", limit: 1, leaseSeconds: 30).isEmpty)
            #expect(try await queue.failExhausted(run: "r") == 1)
            #expect(try await queue.collect(run: "r") == [FinishedJob(id: id, result: nil, attempts: GradingQueue.maxAttempts, worker: "w3")])
        }
    }

    @Test("runs are apart: one run's collect and removal leave another's jobs alone")
    func runsAreApart() async throws {
        try await Self.withQueue { queue in
            _ = try await queue.enqueue(run: "one", payload: "{}")
            _ = try await queue.enqueue(run: "two", payload: "{}")
            for claim in try await queue.claim(worker: "w", limit: 2, leaseSeconds: 60) {
                #expect(try await queue.complete(claim, result: "r\(claim.id)"))
            }
            #expect(try await queue.collect(run: "one").count == 1)
            try await queue.remove(run: "one")
            #expect(try await queue.counts(run: "one") == QueueCounts())
            #expect(try await queue.counts(run: "two").finished == 1)
            #expect(try await queue.collect(run: "two").count == 1)
        }
    }

    @Test("a suite is published once per content and read back by its hash")
    func suitesByHash() async throws {
        try await Self.withQueue { queue in
            let body = "suite: s\n"
            let sha = sha256Hex(body)
            try await queue.publishSuite(sha256: sha, name: "s", body: body)
            try await queue.publishSuite(sha256: sha, name: "s", body: body)
            #expect(try await queue.suiteBody(sha256: sha) == body)
            #expect(try await queue.suiteBody(sha256: String(repeating: "0", count: 64)) == nil)
        }
    }
}
