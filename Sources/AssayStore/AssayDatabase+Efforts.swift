import AssayCore
import GRDB

extension AssayDatabase {
    /// What each (model, requested effort) actually spent on reasoning, over its ok samples.
    package struct ObservedEffort: Sendable, Hashable, Codable {
        package var model: String
        package var effort: String
        package var samples: Int
        package var reasoningTokensMean: Double
        package var reasoningTokensMax: Int
        package var outputTokensMean: Double

        package init(model: String, effort: String, samples: Int, reasoningTokensMean: Double, reasoningTokensMax: Int,
                    outputTokensMean: Double) {
            self.model = model
            self.effort = effort
            self.samples = samples
            self.reasoningTokensMean = reasoningTokensMean
            self.reasoningTokensMax = reasoningTokensMax
            self.outputTokensMean = outputTokensMean
        }
    }

    /// Requested effort against observed reasoning tokens, so a provider that ignores or clamps
    /// a setting shows up (the same tokens at every effort, or none at all).
    package func observedEfforts() throws -> [ObservedEffort] {
        try reading { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT job.provider || '/' || job.model, job.effort, COUNT(*), AVG(sample.reasoning_tokens),
                       MAX(sample.reasoning_tokens), AVG(sample.output_tokens)
                FROM sample JOIN job ON job.id = sample.job_id
                WHERE sample.status = 'ok'
                GROUP BY job.provider, job.model, job.effort
                """)
            return rows.map { row in
                ObservedEffort(model: row[0], effort: row[1], samples: row[2], reasoningTokensMean: row[3],
                               reasoningTokensMax: row[4], outputTokensMean: row[5])
            }
            .sorted { ($0.model, Effort(rawValue: $0.effort)?.rank ?? 99) < ($1.model, Effort(rawValue: $1.effort)?.rank ?? 99) }
        }
    }
}

extension Array where Element == AssayDatabase.ObservedEffort {
    /// Models whose requested efforts above `none` made no difference to reasoning: every
    /// effort observed the same mean (within 5%), or none reasoned at all.
    package var effortInsensitiveModels: [String] {
        let byModel: [String: [AssayDatabase.ObservedEffort]] = Swift.Dictionary(grouping: self, by: { $0.model })
        var flagged: [String] = []
        for (model, rows) in byModel {
            let reasoning = rows.filter { $0.effort != Effort.none.rawValue }.map(\.reasoningTokensMean)
            guard reasoning.count >= 2, let low = reasoning.min(), let high = reasoning.max() else { continue }
            if high <= Swift.max(low * 1.05, low + 1) { flagged.append(model) }
        }
        return flagged.sorted()
    }
}
