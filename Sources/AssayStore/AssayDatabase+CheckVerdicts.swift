import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// A judge's verdict on one stored answer (`check_verdict`): its score over the scale, or
    /// why there is none, and what the call read and wrote.
    package struct CheckVerdict: Sendable, Hashable {
        package var sampleID: Int64
        /// `provider/model`.
        package var judge: String
        package var score: Double?
        package var verdict: String?
        package var usage: Usage
        package var cost: Money?
        package var errorMessage: String?

        package init(sampleID: Int64, judge: String, score: Double?, verdict: String?, usage: Usage, cost: Money?, errorMessage: String?) {
            (self.sampleID, self.judge, self.score, self.verdict) = (sampleID, judge, score, verdict)
            (self.usage, self.cost, self.errorMessage) = (usage, cost, errorMessage)
        }
    }

    /// The samples that already hold a scored verdict of `judge` (not asked again).
    package func checkedSamples(judge: String) throws -> Set<Int64> {
        try reading { db in
            Set(try Int64.fetchAll(db, sql: "SELECT sample_id FROM check_verdict WHERE judge = ? AND score IS NOT NULL", arguments: [judge]))
        }
    }

    /// Stores `verdicts` in one transaction, replacing an earlier verdict of the same judge on the same sample.
    package func storeCheckVerdicts(_ verdicts: [CheckVerdict], at date: Date = Date()) async throws {
        guard !verdicts.isEmpty else { return }
        try await writing { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO check_verdict
                  (sample_id, judge, score, verdict, input_tokens, output_tokens, cost_nusd, error_message, checked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for v in verdicts {
                try statement.execute(arguments: [v.sampleID, v.judge, v.score, v.verdict, v.usage.inputTokens, v.usage.outputTokens,
                                                  v.cost?.nanoUSD, v.errorMessage, date])
            }
        }
    }
}
