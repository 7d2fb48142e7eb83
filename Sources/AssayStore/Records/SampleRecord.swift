import AssayCore
import Foundation
import GRDB

/// A row of `sample`: one graded answer (or one failed request) to one item.
package struct SampleRecord: AssayRecord, Identifiable, UsageColumns {
    package static let databaseTableName = "sample"
    package var id: Int64?
    package var jobId: Int64
    package var itemId: Int64
    package var epoch: Int
    package var status: SampleStatus
    package var response: String?
    package var score: Double?
    package var passed: Bool?
    package var grader: String?
    package var gradeReason: String?
    /// What the grader recorded beyond the score (per-test results for python-tests), as JSON.
    package var gradeDetail: String?
    /// The judge model that scored the answer, and its raw verdict (judge grader).
    package var judge: String?
    package var judgeVerdict: String?
    package var inputTokens: Int
    package var cachedInputTokens: Int
    package var cacheWriteTokens: Int
    package var outputTokens: Int
    package var reasoningTokens: Int
    /// Cost at the prices in force when the sample ran, in nano-USD.
    package var costNusd: Int64
    package var latencyMs: Int?
    package var ttftMs: Int?
    package var errorKind: String?
    package var errorMessage: String?
    package var createdAt: Date

    package init(jobId: Int64, itemId: Int64, epoch: Int, status: SampleStatus, response: String? = nil, score: Double? = nil,
                passed: Bool? = nil, grader: String? = nil, gradeReason: String? = nil, usage: Usage = .zero,
                cost: Money = .zero, latencyMs: Int? = nil, ttftMs: Int? = nil, errorKind: String? = nil,
                errorMessage: String? = nil, gradeDetail: String? = nil, judge: String? = nil, judgeVerdict: String? = nil,
                createdAt: Date = Date()) {
        self.jobId = jobId
        self.itemId = itemId
        self.epoch = epoch
        self.status = status
        self.response = response
        self.score = score
        self.passed = passed
        self.grader = grader
        self.gradeReason = gradeReason
        (self.inputTokens, self.cachedInputTokens, self.cacheWriteTokens, self.outputTokens, self.reasoningTokens) =
            (usage.inputTokens, usage.cachedInputTokens, usage.cacheWriteTokens, usage.outputTokens, usage.reasoningTokens)
        self.costNusd = cost.nanoUSD
        self.latencyMs = latencyMs
        self.ttftMs = ttftMs
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.gradeDetail = gradeDetail
        self.judge = judge
        self.judgeVerdict = judgeVerdict
        self.createdAt = createdAt
    }


    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
