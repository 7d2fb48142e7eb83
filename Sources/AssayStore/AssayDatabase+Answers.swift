import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// What a cascade's checks need of one stored answer: a fingerprint of its normalised text
    /// (two answers agree when their fingerprints match), the judge's stored score when a judge
    /// graded it, and the tokens a judge call about it would read.
    public struct AnswerFact: Sendable, Hashable {
        package var suiteSha256: String
        public var suite: String
        public var itemKey: String
        /// `provider/model@effort`.
        public var entry: String
        public var epoch: Int
        public var fingerprint: UInt64
        /// The judge's score of this answer, when the item's grader is a judge and it answered.
        public var judgeScore: Double?
        public var judge: String?
        public var inputTokens: Int
        public var outputTokens: Int
        /// A judge's check verdict on this answer when the item is graded otherwise
        /// (`assay regrade --judge-check`, table `check_verdict`; the latest scored one).
        public var check: Check?

        /// One stored judge-check verdict: the judge, its score over the scale, and the call's tokens.
        public struct Check: Sendable, Hashable {
            public var judge: String
            public var score: Double
            public var usage: Usage
        }
    }

    /// Every ok sample's answer fingerprint (and stored judge or check verdict) of the suite versions
    /// `suiteSHA256s`, in one pass over a cursor; the response text itself is not kept.
    package func answerFacts(suiteSHA256s: Set<String>) throws -> [AnswerFact] {
        guard !suiteSHA256s.isEmpty else { return [] }
        return try reading { db in
            var facts: [AnswerFact] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT suite.content_sha256, suite.name, item.item_key, job.provider, job.model, job.effort, sample.epoch,
                       sample.response, sample.score, sample.judge, sample.input_tokens, sample.output_tokens,
                       check_verdict.judge, check_verdict.score, check_verdict.input_tokens, check_verdict.output_tokens
                FROM sample
                LEFT JOIN check_verdict ON check_verdict.rowid = (
                    SELECT rowid FROM check_verdict WHERE sample_id = sample.id AND score IS NOT NULL
                    ORDER BY checked_at DESC, judge LIMIT 1) JOIN job ON job.id = sample.job_id JOIN item ON item.id = sample.item_id
                JOIN suite ON suite.id = item.suite_id
                WHERE sample.status = 'ok' AND sample.response IS NOT NULL
                """)
            while let row = try rows.next() {
                let sha: String = row[0]
                guard suiteSHA256s.contains(sha) else { continue }
                let judge: String? = row[9]
                let entry = EntryKey(model: ModelRef(provider: row[3], model: row[4]).description, effort: row[5]).description
                facts.append(AnswerFact(
                    suiteSha256: sha, suite: row[1], itemKey: row[2], entry: entry, epoch: row[6],
                    fingerprint: Self.fingerprint(of: row[7]), judgeScore: judge == nil ? nil : row[8], judge: judge,
                    inputTokens: row[10], outputTokens: row[11], check: Self.check(row)))
            }
            return facts
        }
    }

    /// The check verdict of an `answerFacts` row (columns 12–15), when it has one.
    private static func check(_ row: Row) -> AnswerFact.Check? {
        guard let judge: String = row[12], let score: Double = row[13] else { return nil }
        return AnswerFact.Check(judge: judge, score: score, usage: Usage(inputTokens: row[14], outputTokens: row[15]))
    }

    /// A stable hash of `response` with case, surrounding and repeated whitespace, and a final
    /// full stop ignored: "Answer: B." and "answer:  b" agree.
    public static func fingerprint(of response: String) -> UInt64 { AnswerFingerprint.of(response) }
}
