import AssayCore
import Foundation
import GRDB

/// One sample with what the catalog needs to know about it, flattened by a join.
public struct SampleFact: Sendable, Hashable, UsageColumns {
    public var provider: String
    public var model: String
    public var effort: String
    public var task: String
    public var suite: String
    public var suiteVersion: Int
    public var suiteSha256: String
    public var itemKey: String
    public var cluster: String?
    public var epoch: Int
    public var status: SampleStatus
    public var score: Double?
    public var inputTokens: Int
    public var cachedInputTokens: Int
    public var cacheWriteTokens: Int
    public var outputTokens: Int
    public var reasoningTokens: Int
    public var costNusd: Int64
    public var latencyMs: Int?
    public var createdAt: Date
    /// The item's row id when read from a database: lets the catalog key items by integer.
    public var itemID: Int64?
    /// Code (python-tests): the share of the hidden tests the answer passed, beside its pass@1 score.
    package var testsPassedShare: Double?


    public init(provider: String, model: String, effort: String, task: String, suite: String, suiteVersion: Int = 1,
                suiteSha256: String = "", itemKey: String, cluster: String? = nil, epoch: Int = 0, status: SampleStatus = .ok,
                score: Double?, usage: Usage = .zero, costNusd: Int64 = 0, latencyMs: Int? = nil,
                createdAt: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        self.provider = provider
        self.model = model
        self.effort = effort
        self.task = task
        self.suite = suite
        self.suiteVersion = suiteVersion
        self.suiteSha256 = suiteSha256
        self.itemKey = itemKey
        self.cluster = cluster
        self.epoch = epoch
        self.status = status
        self.score = score
        (self.inputTokens, self.cachedInputTokens, self.cacheWriteTokens, self.outputTokens, self.reasoningTokens) =
            (usage.inputTokens, usage.cachedInputTokens, usage.cacheWriteTokens, usage.outputTokens, usage.reasoningTokens)
        self.costNusd = costNusd
        self.latencyMs = latencyMs
        self.createdAt = createdAt
    }

    package var modelRef: ModelRef { ModelRef(provider: provider, model: model) }

}

extension AssayDatabase {
    /// Every sample of every suite version, joined with its job, suite and item. The catalog
    /// builder chooses the versions (current, or the newest older one, flagged stale).
    package func sampleFacts() throws -> [SampleFact] {
        var facts: [SampleFact] = []
        try forEachSampleFact { facts.append($0) }
        return facts
    }

    /// Content hashes of each suite's most recently loaded version.
    public func latestSuiteHashes() throws -> Set<String> {
        try reading { db in
            Set(try String.fetchAll(db, sql: """
                SELECT content_sha256 FROM suite s1
                WHERE loaded_at = (SELECT MAX(loaded_at) FROM suite s2 WHERE s2.name = s1.name)
                """))
        }
    }
}
