import AssayCore
import AssayProviders

/// What `assay run` should measure; empty filters mean "everything configured".
public struct RunOptions: Sendable {
    public var suites: [String]
    public var models: [String]
    public var efforts: [Effort]
    public var concurrency: Int?
    public var epochs: Int?
    public var budget: Money?
    public var trigger: String

    public init(suites: [String] = [], models: [String] = [], efforts: [Effort] = [], concurrency: Int? = nil,
                epochs: Int? = nil, budget: Money? = nil, trigger: String = "run") {
        self.suites = suites
        self.models = models
        self.efforts = efforts
        self.concurrency = concurrency
        self.epochs = epochs
        self.budget = budget
        self.trigger = trigger
    }
}

/// Progress of a run, reported as samples complete.
public struct RunProgressSnapshot: Sendable {
    public var total: Int
    public var done: Int
    public var errors: Int
    public var spent: Money
    public var elapsedSeconds: Double

    public var etaSeconds: Double? {
        guard done > 0, total > done else { return nil }
        return elapsedSeconds / Double(done) * Double(total - done)
    }
}

/// Receives progress; the CLI draws a bar on a terminal and prints lines otherwise.
public protocol RunProgressReporter: Sendable {
    func started(total: Int, alreadyStored: Int)
    func update(_ snapshot: RunProgressSnapshot)
}

public struct SilentProgress: RunProgressReporter {
    public init() {}
    public func started(total: Int, alreadyStored: Int) {}
    public func update(_ snapshot: RunProgressSnapshot) {}
}

/// What a run did.
public struct RunSummary: Sendable, Codable {
    public var runID: Int64
    public var planned: Int
    public var alreadyStored: Int
    public var completed: Int
    public var errors: Int
    public var errorKinds: [String: Int]
    public var spentNanoUSD: Int64
    public var budgetNanoUSD: Int64?
    public var stoppedByBudget: Bool
    public var elapsedSeconds: Double
    public var jobs: Int
    public var status: String
    /// Model+efforts left out because the model or its effort field cannot take them.
    public var skipped: [SkippedEffort]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", planned, alreadyStored = "already_stored", completed, errors, errorKinds = "error_kinds"
        case spentNanoUSD = "spent_nusd", budgetNanoUSD = "budget_nusd", stoppedByBudget = "stopped_by_budget"
        case elapsedSeconds = "elapsed_seconds", jobs, status, skipped
    }
}
