import AssayCore
import Foundation
import GRDB

/// A row of `sample`: one graded answer (or one failed request) to one item.
public struct SampleRecord: AssayRecord, Identifiable, UsageColumns {
    public static let databaseTableName = "sample"
    public var id: Int64?
    public var jobId: Int64
    public var itemId: Int64
    public var epoch: Int
    public var status: SampleStatus
    public var response: String?
    public var score: Double?
    public var passed: Bool?
    public var grader: String?
    public var gradeReason: String?
    /// What the grader recorded beyond the score (per-test results for python-tests), as JSON.
    public var gradeDetail: String?
    /// The judge model that scored the answer, and its raw verdict (judge grader).
    public var judge: String?
    public var judgeVerdict: String?
    public var inputTokens: Int
    public var cachedInputTokens: Int
    public var cacheWriteTokens: Int
    public var outputTokens: Int
    public var reasoningTokens: Int
    /// Cost at the prices in force when the sample ran, in nano-USD.
    public var costNusd: Int64
    public var latencyMs: Int?
    public var ttftMs: Int?
    public var errorKind: String?
    public var errorMessage: String?
    public var createdAt: Date

    public init(jobId: Int64, itemId: Int64, epoch: Int, status: SampleStatus, response: String? = nil, score: Double? = nil,
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


    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
