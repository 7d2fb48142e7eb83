import PostgresNIO

/// The worker's side of the queue: claim, renew, complete, release.
extension GradingQueue {
    /// Claims up to `limit` jobs for `worker`, oldest first: pending ones and those whose lease ran
    /// out (their worker died) with claims left. `SKIP LOCKED` lets workers claim at once without
    /// waiting on each other's rows; a row another worker just took is re-checked and skipped.
    package func claim(worker: String, limit: Int, leaseSeconds: Double) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let rows = try await store.query("""
            UPDATE assay_grading_job
            SET state = 'claimed', claimed_by = \(worker), claim_token = nextval('assay_grading_claim_seq'),
                lease_expires_at = clock_timestamp() + make_interval(secs => \(leaseSeconds)), attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM assay_grading_job
                WHERE state = 'pending' OR (state = 'claimed' AND lease_expires_at < clock_timestamp() AND attempts < \(Self.maxAttempts))
                ORDER BY id LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING id, claim_token, payload, attempts
            """, doing: "claiming jobs")
        var claimed: [ClaimedJob] = []
        for row in rows {
            let (id, token, payload, attempts) = try row.decode((Int64, Int64, String, Int32).self)
            claimed.append(ClaimedJob(id: id, token: token, payload: payload, attempts: Int(attempts)))
        }
        return claimed.sorted { $0.id < $1.id }
    }

    /// Extends the leases of the claims `tokens` names; returns the tokens no longer held (the
    /// lease ran out and another worker took the job, or the run was removed).
    package func renew(tokens: [Int64], leaseSeconds: Double) async throws -> Set<Int64> {
        guard !tokens.isEmpty else { return [] }
        let rows = try await store.query("""
            UPDATE assay_grading_job SET lease_expires_at = clock_timestamp() + make_interval(secs => \(leaseSeconds))
            WHERE claim_token = ANY(\(tokens)) AND state = 'claimed'
            RETURNING claim_token
            """, doing: "renewing leases")
        let held = Set(try rows.map { try $0.decode(Int64.self) })
        return Set(tokens).subtracting(held)
    }

    /// Writes the job's result if this claim is still the job's claim; false when it is not (the
    /// lease ran out and another worker claimed it, or the run went away): the result is dropped,
    /// so a job is never graded into the store twice.
    package func complete(_ job: ClaimedJob, result: String) async throws -> Bool {
        let rows = try await store.query("""
            UPDATE assay_grading_job
            SET state = 'done', result = \(result), finished_at = now(), lease_expires_at = NULL
            WHERE id = \(job.id) AND claim_token = \(job.token) AND state = 'claimed'
            RETURNING id
            """, doing: "storing a job's result")
        if !rows.isEmpty { return true }
        return false
    }

    /// Hands claims back unfinished (a worker shutting down): the jobs are pending again at once,
    /// and the claim does not count against the job's attempts.
    package func release(tokens: [Int64]) async throws {
        guard !tokens.isEmpty else { return }
        try await store.query("""
            UPDATE assay_grading_job
            SET state = 'pending', claimed_by = NULL, claim_token = NULL, lease_expires_at = NULL, attempts = greatest(attempts - 1, 0)
            WHERE claim_token = ANY(\(tokens)) AND state = 'claimed'
            """, doing: "releasing claims")
    }
}
