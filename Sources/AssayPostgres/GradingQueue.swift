import AssayCore
import PostgresNIO

/// The grading workers' job queue in the shared store (`GradingQueueSchema`). The measuring
/// machine enqueues a run's jobs and collects their results; workers claim jobs with
/// `FOR UPDATE SKIP LOCKED` (two workers never wait for, nor take, the same row), renew their
/// leases while they work and write each result under their claim (`GradingQueue+Claims`).
package struct GradingQueue: Sendable {
    package let store: PostgresStore
    /// Claims a job may have: a job whose workers were lost this many times is given up as
    /// failed, so one answer that kills every worker cannot stall a run.
    package static let maxAttempts = 3

    package init(store: PostgresStore) { self.store = store }

    /// Creates the queue's tables when they are missing.
    package func migrate() async throws {
        try await PostgresMigrator.migrate(store, GradingQueueSchema.migrations)
    }

    /// Stores a suite's text under its content hash for workers to read (once per content).
    package func publishSuite(sha256: String, name: String, body: String) async throws {
        try await store.query("""
            INSERT INTO assay_grading_suite (sha256, name, body) VALUES (\(sha256), \(name), \(body))
            ON CONFLICT (sha256) DO NOTHING
            """, doing: "publishing suite \(name)")
    }

    /// The text of the suite with this content hash, nil when none was published.
    package func suiteBody(sha256: String) async throws -> String? {
        let rows = try await store.query("SELECT body FROM assay_grading_suite WHERE sha256 = \(sha256)", doing: "reading a suite")
        return try rows.first?.decode(String.self)
    }

    /// Queues one job of `run`; returns its id.
    package func enqueue(run: String, payload: String) async throws -> Int64 {
        let rows = try await store.query("INSERT INTO assay_grading_job (run_key, payload) VALUES (\(run), \(payload)) RETURNING id",
                                         doing: "queueing a job")
        if let id = try rows.first?.decode(Int64.self) { return id }
        throw AssayError(.database, "PostgreSQL at \(store.settings.url) queued a job but returned no id")
    }

    /// Gives up the run's jobs whose lease ran out after `maxAttempts` claims (their workers died
    /// or stalled each time): they end `failed`, without a result.
    @discardableResult
    package func failExhausted(run: String) async throws -> Int {
        let rows = try await store.query("""
            UPDATE assay_grading_job SET state = 'failed', finished_at = now()
            WHERE run_key = \(run) AND state = 'claimed' AND lease_expires_at < clock_timestamp() AND attempts >= \(Self.maxAttempts)
            RETURNING id
            """, doing: "giving up jobs whose workers were lost")
        return rows.count
    }

    /// The run's jobs that ended since the last call, each returned once.
    package func collect(run: String) async throws -> [FinishedJob] {
        let rows = try await store.query("""
            UPDATE assay_grading_job SET collected_at = now()
            WHERE run_key = \(run) AND state IN ('done', 'failed') AND collected_at IS NULL
            RETURNING id, result, attempts, claimed_by
            """, doing: "collecting finished jobs")
        var finished: [FinishedJob] = []
        for row in rows {
            let (id, result, attempts, worker) = try row.decode((Int64, String?, Int32, String?).self)
            finished.append(FinishedJob(id: id, result: result, attempts: Int(attempts), worker: worker))
        }
        return finished
    }

    /// How far the run's jobs are.
    package func counts(run: String) async throws -> QueueCounts {
        let rows = try await store.query("""
            SELECT state, count(*), count(DISTINCT claimed_by) FROM assay_grading_job WHERE run_key = \(run) GROUP BY state
            """, doing: "counting queued jobs")
        var counts = QueueCounts()
        for row in rows {
            let (state, count, workers) = try row.decode((String, Int64, Int64).self)
            switch state {
            case "pending": counts.pending = Int(count)
            case "claimed":
                counts.claimed = Int(count)
                counts.workers = Int(workers)
            default: counts.finished += Int(count)
            }
        }
        return counts
    }

    /// Removes every job of the run: at its end, or when it is interrupted (a worker's later
    /// result for one of them is then refused, as a lost claim's).
    package func remove(run: String) async throws {
        try await store.query("DELETE FROM assay_grading_job WHERE run_key = \(run)", doing: "removing the run's jobs")
    }
}
