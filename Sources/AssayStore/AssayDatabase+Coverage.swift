import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// What is stored for one (model, effort, suite version, epoch): the planner's raw material.
    package struct Coverage: Sendable, Hashable {
        package var model: ModelRef
        package var effort: String
        package var suiteSHA256: String
        package var epoch: Int
        package var okSamples: Int
        package var newest: Date
        package var meanCostNusd: Double
        package var meanInputTokens: Double
        package var meanOutputTokens: Double
    }

    /// Suite names by content hash, for every suite version stored.
    package func suiteNamesByHash() throws -> [String: String] {
        try reading { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT content_sha256, name FROM suite").map { ($0[0] as String, $0[1] as String) },
                       uniquingKeysWith: { first, _ in first })
        }
    }

    /// Every (model, effort, suite version, epoch) with at least one `ok` sample.
    package func coverage() throws -> [Coverage] {
        try reading { db in
            try Row.fetchAll(db, sql: """
                SELECT job.provider, job.model, job.effort, job.suite_sha256, job.epoch, COUNT(*) AS n,
                       MAX(sample.created_at) AS newest, AVG(sample.cost_nusd) AS cost,
                       AVG(sample.input_tokens) AS input, AVG(sample.output_tokens) AS output
                FROM sample JOIN job ON job.id = sample.job_id
                WHERE sample.status = 'ok'
                GROUP BY job.provider, job.model, job.effort, job.suite_sha256, job.epoch
                """).map { row in
                Coverage(model: ModelRef(provider: row["provider"], model: row["model"]), effort: row["effort"],
                         suiteSHA256: row["suite_sha256"], epoch: row["epoch"], okSamples: row["n"],
                         newest: row["newest"], meanCostNusd: row["cost"], meanInputTokens: row["input"],
                         meanOutputTokens: row["output"])
            }
        }
    }
}
