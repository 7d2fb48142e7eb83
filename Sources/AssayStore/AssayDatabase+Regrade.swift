import Foundation
import GRDB

extension AssayDatabase {
    /// A stored answer that can be graded again: the response text and where it belongs.
    package struct StoredAnswer: Sendable, Hashable {
        package var sampleID: Int64
        package var suiteSHA256: String
        package var itemKey: String
        package var response: String

        package init(sampleID: Int64, suiteSHA256: String, itemKey: String, response: String) {
            (self.sampleID, self.suiteSHA256, self.itemKey, self.response) = (sampleID, suiteSHA256, itemKey, response)
        }
    }

    /// Every stored response of the suite versions `suiteSHA256s` that was graded, or failed in
    /// grading (`error_kind = 'grader'`); failed requests have no answer to grade.
    package func storedAnswers(suiteSHA256s: [String]) throws -> [StoredAnswer] {
        guard !suiteSHA256s.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: suiteSHA256s.count).joined(separator: ", ")
        return try reading { db in
            try Row.fetchAll(db, sql: """
                SELECT sample.id, suite.content_sha256, item.item_key, sample.response
                FROM sample JOIN item ON item.id = sample.item_id JOIN suite ON suite.id = item.suite_id
                WHERE suite.content_sha256 IN (\(marks)) AND sample.response IS NOT NULL
                  AND (sample.status = 'ok' OR sample.error_kind = 'grader')
                ORDER BY sample.id
                """, arguments: StatementArguments(suiteSHA256s)).map {
                StoredAnswer(sampleID: $0[0], suiteSHA256: $0[1], itemKey: $0[2], response: $0[3])
            }
        }
    }

    /// A new grade for a stored answer (or, with `errorMessage`, the reason it could not be graded).
    package struct GradeUpdate: Sendable, Hashable {
        package var sampleID: Int64
        package var score: Double?
        package var passed: Bool?
        package var grader: String
        package var reason: String?
        package var detail: String?
        package var judge: String?
        package var verdict: String?
        package var errorMessage: String?

        package init(sampleID: Int64, score: Double?, passed: Bool?, grader: String, reason: String?, detail: String?,
                    judge: String?, verdict: String?, errorMessage: String?) {
            (self.sampleID, self.score, self.passed, self.grader, self.reason) = (sampleID, score, passed, grader, reason)
            (self.detail, self.judge, self.verdict, self.errorMessage) = (detail, judge, verdict, errorMessage)
        }
    }

    /// Replaces the grades of stored answers in one transaction; token counts and costs stay.
    package func updateGrades(_ updates: [GradeUpdate]) async throws {
        guard !updates.isEmpty else { return }
        try await writing { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE sample SET status = ?, score = ?, passed = ?, grader = ?, grade_reason = ?, grade_detail = ?,
                  judge = ?, judge_verdict = ?, error_kind = ?, error_message = ?
                WHERE id = ?
                """)
            for u in updates {
                let failed = u.errorMessage != nil
                try statement.execute(arguments: [
                    failed ? SampleStatus.error : SampleStatus.ok, u.score, u.passed, u.grader, u.reason, u.detail, u.judge, u.verdict,
                    failed ? "grader" : nil, u.errorMessage, u.sampleID,
                ])
            }
        }
    }
}
