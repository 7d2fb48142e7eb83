import AssayCore
import AssayStore
import Foundation
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
    /// The unfinished run this one finishes (`assay run --resume`); it is marked resumed at the end.
    public var resumeOf: Int64?
    /// An explicit plan: exactly these jobs, in this order (suite, model and effort filters and
    /// `epochs` are then ignored).
    package var jobs: [JobSpec]?

    public init(suites: [String] = [], models: [String] = [], efforts: [Effort] = [], concurrency: Int? = nil,
                epochs: Int? = nil, budget: Money? = nil, trigger: String = "run", resumeOf: Int64? = nil) {
        self.suites = suites
        self.models = models
        self.efforts = efforts
        self.concurrency = concurrency
        self.epochs = epochs
        self.budget = budget
        self.trigger = trigger
        self.resumeOf = resumeOf
    }
}

/// How a run's selection is stored (`run.options_json`) so a resume asks for the same work.
extension RunOptions {
    struct Stored: Codable {
        var suites: [String]
        var models: [String]
        var efforts: [String]
        var concurrency: Int?
        var epochs: Int?
        var budgetNusd: Int64?
        var trigger: String
        var jobs: [JobSpec]?

        enum CodingKeys: String, CodingKey {
            case suites, models, efforts, concurrency, epochs, trigger, jobs, budgetNusd = "budget_nusd"
        }
    }

    public var jsonText: String {
        let stored = Stored(suites: suites, models: models, efforts: efforts.map(\.rawValue), concurrency: concurrency, epochs: epochs,
                            budgetNusd: budget?.nanoUSD, trigger: trigger, jobs: jobs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(stored)) ?? Data(), as: UTF8.self)
    }

    public init?(jsonText: String) {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(jsonText.utf8)) else { return nil }
        self.init(suites: stored.suites, models: stored.models, efforts: stored.efforts.compactMap(Effort.init(rawValue:)),
                  concurrency: stored.concurrency, epochs: stored.epochs, budget: stored.budgetNusd.map { Money(nanoUSD: $0) },
                  trigger: stored.trigger)
        jobs = stored.jobs
    }
}

/// Progress of one job (a model at an effort on a suite, one epoch) within a run.
package struct JobProgress: Sendable, Hashable {
    /// `provider/model@effort suite` (and `#epoch` after the first).
    package var label: String
    package var total: Int
    package var done = 0
    package var errors = 0
    package var spent = Money.zero
    /// Run seconds when its first request was sent.
    package var startedAt: Double?

    /// Seconds left at this job's own pace so far.
    package func etaSeconds(now: Double) -> Double? {
        guard let startedAt, done > 0, total > done else { return nil }
        return (now - startedAt) / Double(done) * Double(total - done)
    }
}

/// Progress of a run, reported as samples complete.
public struct RunProgressSnapshot: Sendable {
    public var total: Int
    package var done: Int
    public var errors: Int
    package var spent: Money
    package var elapsedSeconds: Double
    /// The jobs with requests sent and not all answered, in plan order.
    package var activeJobs: [JobProgress] = []

    package var etaSeconds: Double? {
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
    package var planned: Int
    package var alreadyStored: Int
    package var completed: Int
    public var errors: Int
    package var errorKinds: [String: Int]
    /// Everything the run paid for: answers and judge calls.
    package var spentNanoUSD: Int64
    /// The judge's share of `spentNanoUSD`.
    package var judgeSpentNanoUSD: Int64 = 0
    package var budgetNanoUSD: Int64?
    package var stoppedByBudget: Bool
    package var elapsedSeconds: Double
    package var jobs: Int
    public var status: RunStatus
    /// Model+efforts left out because the model or its effort field cannot take them.
    package var skipped: [SkippedEffort]
    /// With `--workers`: who ran the jobs, and jobs taken over after a worker was lost.
    package var workers: WorkerRunStats?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", workers, planned, alreadyStored = "already_stored", completed, errors, errorKinds = "error_kinds"
        case spentNanoUSD = "spent_nusd", judgeSpentNanoUSD = "judge_spent_nusd", budgetNanoUSD = "budget_nusd", stoppedByBudget = "stopped_by_budget"
        case elapsedSeconds = "elapsed_seconds", jobs, status, skipped
    }
}
