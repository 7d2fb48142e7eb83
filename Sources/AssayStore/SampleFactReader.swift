import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// Calls `body` with every stored sample, joined with its job, suite and item, in one pass
    /// over a cursor. Job- and item-level text (model, suite, item key…) is read once per job or
    /// item and shared by every sample, so millions of samples cost no per-row strings.
    public func forEachSampleFact(_ body: (SampleFact) throws -> Void) throws {
        try reading { db in
            struct Job { var provider, model, effort, task, suite, sha: String; var version: Int }
            var jobs: [Int64: Job] = [:]
            let jobRows = try Row.fetchCursor(db, sql: """
                SELECT job.id, job.provider, job.model, job.effort, suite.task, suite.name, suite.content_sha256, suite.version
                FROM job JOIN suite ON suite.id = job.suite_id
                """)
            while let row = try jobRows.next() {
                jobs[row[0]] = Job(provider: row[1], model: row[2], effort: row[3], task: row[4], suite: row[5], sha: row[6], version: row[7])
            }
            var items: [Int64: (key: String, cluster: String?)] = [:]
            let itemRows = try Row.fetchCursor(db, sql: "SELECT id, item_key, cluster FROM item")
            while let row = try itemRows.next() { items[row[0]] = (row[1], row[2]) }

            let samples = try Row.fetchCursor(db, sql: """
                SELECT job_id, item_id, epoch, status = 'ok', score, input_tokens, cached_input_tokens, cache_write_tokens,
                       output_tokens, reasoning_tokens, cost_nusd, latency_ms, (julianday(created_at) - 2440587.5) * 86400.0,
                       CASE WHEN json_valid(grade_detail) THEN json_extract(grade_detail, '$.tests_passed_share') END
                FROM sample
                """)
            while let row = try samples.next() {
                guard let job = jobs[row[0]], let item = items[row[1]] else { continue }
                let usage = Usage(inputTokens: row[5], cachedInputTokens: row[6], cacheWriteTokens: row[7],
                                  outputTokens: row[8], reasoningTokens: row[9])
                var fact = SampleFact(
                    provider: job.provider, model: job.model, effort: job.effort, task: job.task, suite: job.suite,
                    suiteVersion: job.version, suiteSha256: job.sha, itemKey: item.key, cluster: item.cluster, epoch: row[2],
                    status: (row[3] as Bool) ? .ok : .error, score: row[4], usage: usage, costNusd: row[10], latencyMs: row[11],
                    createdAt: Date(timeIntervalSince1970: row[12] as Double? ?? 0))
                fact.itemID = row[1]
                fact.testsPassedShare = row[13]
                try body(fact)
            }
        }
    }
}
