import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    package func startRun(trigger: String, budget: Money?, configSHA256: String, optionsJSON: String? = nil) throws -> RunRecord {
        try writing { db in
            var run = RunRecord(id: nil, trigger: trigger, startedAt: Date(), finishedAt: nil, budgetNusd: budget?.nanoUSD,
                                spentNusd: 0, status: .running, configSha256: configSHA256, note: nil, optionsJson: optionsJSON,
                                resumedBy: nil)
            try run.insert(db)
            return run
        }
    }

    /// The newest run that did not finish: interrupted, or still `running` although its process
    /// is gone (the caller holds the run lock, so no live process owns it).
    package func latestUnfinishedRun() throws -> RunRecord? {
        try reading { db in
            try RunRecord.filter([RunStatus.running, .interrupted].contains(Column("status")) && Column("resumed_by") == nil)
                .order(Column("id").desc).fetchOne(db)
        }
    }

    /// What a run's samples cost (those stored since it started, for jobs it claimed), also when
    /// the run was killed before it could record its total.
    package func spent(byRun run: RunRecord) throws -> Money {
        try reading { db in
            let total = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(sample.cost_nusd), 0) FROM sample JOIN job ON job.id = sample.job_id
                WHERE job.run_id = ? AND sample.created_at >= ?
                """, arguments: [run.id, run.startedAt]) ?? 0
            return Money(nanoUSD: total)
        }
    }

    /// Closes a run another one has taken over (`assay run --resume`).
    package func markRunResumed(id: Int64, by newRun: Int64) throws {
        try writing { db in
            try db.execute(sql: """
                UPDATE run SET status = 'interrupted', resumed_by = ?, finished_at = COALESCE(finished_at, ?),
                    note = COALESCE(note, 'the process ended without finishing (killed?)') WHERE id = ?
                """, arguments: [newRun, Date(), id])
        }
    }

    package func finishRun(id: Int64, status: RunStatus, spent: Money, note: String?) throws {
        try writing { db in
            try db.execute(sql: "UPDATE run SET status = ?, spent_nusd = ?, finished_at = ?, note = ? WHERE id = ?",
                           arguments: [status, spent.nanoUSD, Date(), note, id])
        }
    }

    /// The job for (model, effort, suite version, epoch), created on first use. An existing job
    /// is claimed by `runID` and its attempt count bumped.
    package func claimJob(runID: Int64, model: ModelRef, effort: Effort, suiteID: Int64, suiteSHA256: String,
                         epoch: Int) throws -> JobRecord {
        try writing { db in
            let key = Column("provider") == model.provider && Column("model") == model.model
                && Column("effort") == effort.rawValue && Column("suite_sha256") == suiteSHA256 && Column("epoch") == epoch
            if var job = try JobRecord.filter(key).fetchOne(db) {
                job.runId = runID
                job.attempts += 1
                job.status = .running
                try job.update(db)
                return job
            }
            var job = JobRecord(id: nil, runId: runID, provider: model.provider, model: model.model, effort: effort.rawValue,
                                suiteId: suiteID, suiteSha256: suiteSHA256, epoch: epoch, status: .running, attempts: 1,
                                note: nil, createdAt: Date(), finishedAt: nil)
            try job.insert(db)
            return job
        }
    }

    package func finishJob(id: Int64, status: JobStatus, note: String? = nil) throws {
        try writing { db in
            try db.execute(sql: "UPDATE job SET status = ?, note = ?, finished_at = ? WHERE id = ?",
                           arguments: [status, note, Date(), id])
        }
    }

    /// Item ids that already have a successful sample in this job: never paid for twice.
    package func answeredItemIDs(jobID: Int64) throws -> Set<Int64> {
        try reading { db in
            Set(try Int64.fetchAll(db, sql: "SELECT item_id FROM sample WHERE job_id = ? AND status = 'ok'",
                                   arguments: [jobID]))
        }
    }

    /// Stores samples in one transaction. A sample replaces an earlier *error* sample for the
    /// same (job, item, epoch); an existing ok sample is never overwritten.
    package func insertSamples(_ samples: [SampleRecord]) throws {
        guard !samples.isEmpty else { return }
        try writing { db in try Self.insert(samples, db) }
    }

    /// `insertSamples` on GRDB's writer queue, suspending instead of blocking the caller's thread.
    package func storeSamples(_ samples: [SampleRecord]) async throws {
        guard !samples.isEmpty else { return }
        try await writing { db in try Self.insert(samples, db) }
    }

    static func insert(_ samples: [SampleRecord], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO sample (job_id, item_id, epoch, status, response, score, passed, grader, grade_reason,
              input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_nusd,
              latency_ms, ttft_ms, error_kind, error_message, grade_detail, judge, judge_verdict, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (job_id, item_id, epoch) DO UPDATE SET
              status = excluded.status, response = excluded.response, score = excluded.score,
              passed = excluded.passed, grader = excluded.grader, grade_reason = excluded.grade_reason,
              input_tokens = excluded.input_tokens, cached_input_tokens = excluded.cached_input_tokens,
              cache_write_tokens = excluded.cache_write_tokens, output_tokens = excluded.output_tokens,
              reasoning_tokens = excluded.reasoning_tokens, cost_nusd = excluded.cost_nusd,
              latency_ms = excluded.latency_ms, ttft_ms = excluded.ttft_ms, error_kind = excluded.error_kind,
              error_message = excluded.error_message, grade_detail = excluded.grade_detail, judge = excluded.judge,
              judge_verdict = excluded.judge_verdict, created_at = excluded.created_at
            WHERE sample.status = 'error'
            """)
        for s in samples {
            try statement.execute(arguments: [
                s.jobId, s.itemId, s.epoch, s.status, s.response, s.score, s.passed, s.grader, s.gradeReason,
                s.inputTokens, s.cachedInputTokens, s.cacheWriteTokens, s.outputTokens, s.reasoningTokens,
                s.costNusd, s.latencyMs, s.ttftMs, s.errorKind, s.errorMessage, s.gradeDetail, s.judge, s.judgeVerdict,
                s.createdAt,
            ])
        }
    }

    public func sampleCount(status: SampleStatus? = nil) throws -> Int {
        try reading { db in
            if let status { return try SampleRecord.filter(Column("status") == status).fetchCount(db) }
            return try SampleRecord.fetchCount(db)
        }
    }

    package func recordCatalogBuild(_ build: CatalogBuildRecord) throws {
        try writing { db in
            var row = build
            try row.insert(db)
        }
    }
}
