import AssayCore
import AssayProviders
import AssayStore
import AssaySuites
import Foundation
import Logging

/// Runs suites × models × efforts × epochs against providers with bounded concurrency, grades
/// each answer and stores every sample as it completes. Samples already stored are never asked
/// for again, so a rerun (or a run after a crash) only pays for what is missing.
public struct Runner: Sendable {
    public let config: AssayConfig
    public let database: AssayDatabase
    public let providers: ProviderRegistry
    public let logger: Logger
    public let grading: Grading
    /// When set, requests go to grading workers through the PostgreSQL queue instead of being
    /// asked here (`assay run --workers`).
    package var workers: WorkerDispatch?

    public init(config: AssayConfig, database: AssayDatabase, providers: ProviderRegistry, logger: Logger,
                grading: Grading? = nil) throws {
        self.config = config
        self.database = database
        self.providers = providers
        self.logger = logger
        self.grading = try grading ?? Grading(config: config, providers: providers)
    }

    public func run(suites allSuites: [Suite], options: RunOptions, progress: any RunProgressReporter = SilentProgress()) async throws -> RunSummary {
        let suites = try select(suites: allSuites, names: options.suites)
        if workers == nil { try grading.checkReady(for: suites) }   // workers check their own sandbox
        let models = try select(models: options.models)
        let budget = options.budget ?? config.budget
        let started = ContinuousClock.now
        let run = try database.startRun(trigger: options.trigger, budget: budget, configSHA256: config.sha256, optionsJSON: options.jsonText)
        let runID = run.id!
        let (plans, skipped) = try plan(runID: runID, suites: suites, models: models, options: options)
        let work = plans.flatMap(\.pending)
        let alreadyStored = plans.reduce(0) { $0 + $1.alreadyStored }
        progress.started(total: work.count, alreadyStored: alreadyStored)
        logger.info("run started", metadata: ["assay.run.id": "\(runID)", "assay.run.requests": "\(work.count)",
                                              "assay.run.already_stored": "\(alreadyStored)"])

        var tally = Tally()
        let writer = SampleWriter(database: database)
        // The hard ceiling: each answer and each judge call reserves its cost ceiling before it
        // is sent and settles to its real cost when it returns; nothing is sent that could
        // cross the budget.
        let money = RunBudget(limit: budget)
        var prices = try database.currentPrices()
        if let judge = config.judge, prices[judge] == nil, let price = config.models.first(where: { $0.ref == judge })?.price {
            prices[judge] = price   // a judge priced in the config but not part of this run
        }
        let grading = self.grading.metered(by: money, prices: prices)
        let asker = ItemAsker(config: config, providers: providers)
        let (workers, maxTokens, judgePrice) = (workers, config.maxTokens, config.judge.flatMap { prices[$0] })
        var jobs: [Int64: JobProgress] = [:]
        let jobOrder = plans.filter { !$0.pending.isEmpty }.map { $0.job.id! }
        for plan in plans where !plan.pending.isEmpty {
            let job = plan.job
            jobs[job.id!] = JobProgress(label: "\(EntryKey(model: "\(job.provider)/\(job.model)", effort: job.effort)) \(plan.pending[0].suite.name)"
                                           + (job.epoch > 0 ? " #\(job.epoch)" : ""), total: plan.pending.count)
        }
        let concurrency = max(1, options.concurrency ?? config.concurrency)
        var stoppedByBudget = false
        var interrupted = false
        var storeFailure: (any Error)?
        do {
            try await Self.polling(workers) { try await withThrowingTaskGroup(of: (SampleRecord, Money).self) { group in
                var next = work.startIndex
                var deadProviders: Set<String> = []
                func launchNext() async -> Bool {
                    if Task.isCancelled {
                        interrupted = true
                        return false
                    }
                    if await money.exhausted {
                        stoppedByBudget = true
                        return false
                    }
                    while next < work.endIndex {
                        let item = work[next]
                        next += 1
                        if deadProviders.contains(item.model.provider) { continue }
                        let ceiling = CostCeiling.of(item, config: config)
                        guard await money.reserve(ceiling) else {
                            stoppedByBudget = true
                            return false
                        }
                        if jobs[item.jobID]?.startedAt == nil { jobs[item.jobID]?.startedAt = started.secondsElapsed }
                        if let workers {
                            group.addTask { (try await workers.execute(item, maxTokens: maxTokens, judgePrice: judgePrice, budget: money), ceiling) }
                        } else {
                            group.addTask { (await asker.execute(item, grading: grading), ceiling) }
                        }
                        return true
                    }
                    return false
                }
                for _ in 0..<concurrency {
                    guard await launchNext() else { break }
                }
                while let (sample, ceiling) = try await group.next() {
                    await money.settle(ceiling, cost: Money(nanoUSD: sample.costNusd))
                    // A request cut short by an interrupt is not a provider failure: store nothing,
                    // the next run asks again.
                    if Task.isCancelled && sample.status == .error {
                        interrupted = true
                        continue
                    }
                    tally.record(sample)
                    jobs[sample.jobId]?.done += 1
                    jobs[sample.jobId]?.spent += Money(nanoUSD: sample.costNusd)
                    if sample.status == .error { jobs[sample.jobId]?.errors += 1 }
                    if sample.errorKind == ProviderError.Kind.auth.rawValue, let item = work.first(where: { $0.jobID == sample.jobId }) {
                        // A rejected key will be rejected for every request: stop that provider now.
                        deadProviders.insert(item.model.provider)
                    }
                    await writer.add(sample)
                    if let failure = await writer.failed {
                        // Answers that cannot be stored are paid for and lost: send nothing more.
                        storeFailure = failure
                        group.cancelAll()
                        break
                    }
                    progress.update(RunProgressSnapshot(
                        total: work.count, done: tally.done, errors: tally.errors, spent: tally.spent, elapsedSeconds: started.secondsElapsed,
                        activeJobs: jobOrder.compactMap { jobs[$0] }.filter { $0.startedAt != nil && $0.done < $0.total }))
                    _ = await launchNext()
                }
            } }
        } catch is CancellationError {
            interrupted = true
        }
        do { try await writer.finish() } catch { storeFailure = storeFailure ?? error }
        let spent = await money.spent
        if let storeFailure {
            // The database refuses writes: record what can be recorded, then fail loudly.
            try? finishJobs(plans)
            try? database.finishRun(id: runID, status: .failed, spent: spent, note: "stopped: samples could not be stored")
            throw Self.storeError(storeFailure, database: database.path, received: tally.done)
        }
        try finishJobs(plans)
        let status: RunStatus = interrupted ? .interrupted : .finished
        let note = stoppedByBudget ? "stopped: budget reached" : nil
        try database.finishRun(id: runID, status: status, spent: spent, note: note)
        if let previous = options.resumeOf, status == .finished { try database.markRunResumed(id: previous, by: runID) }
        var summary = RunSummary(runID: runID, planned: work.count, alreadyStored: alreadyStored, completed: tally.done - tally.errors,
                          errors: tally.errors, errorKinds: tally.errorKinds, spentNanoUSD: spent.nanoUSD,
                          judgeSpentNanoUSD: await money.judgeSpent.nanoUSD,
                          budgetNanoUSD: budget?.nanoUSD, stoppedByBudget: stoppedByBudget,
                          elapsedSeconds: started.secondsElapsed, jobs: plans.count, status: status, skipped: skipped)
        summary.workers = await workers?.summary
        return summary
    }

    /// `body`, while `workers` (when set) collects the results its workers write.
    static func polling<T>(_ workers: WorkerDispatch?, _ body: () async throws -> T) async throws -> T {
        guard let workers else { return try await body() }
        return try await workers.whilePolling(body)
    }

    /// The error a run ends with when its samples cannot be written.
    static func storeError(_ error: any Error, database: String, received: Int) -> AssayError {
        let cause = AssayDatabase.describe(error)
        return AssayError(.database, "cannot store samples in \(database): \(cause); the run stopped sending requests "
                          + "(\(received) answers received this run, those after the failure not stored)",
                          hint: "free disk space, make the file writable or stop what holds its lock, then run again: "
                          + "stored samples are kept and only the missing ones are asked for")
    }
}

/// Running totals of a run.
struct Tally {
    var done = 0
    var errors = 0
    var spent = Money.zero
    var errorKinds: [String: Int] = [:]

    mutating func record(_ sample: SampleRecord) {
        done += 1
        spent += Money(nanoUSD: sample.costNusd)
        if sample.status == .error {
            errors += 1
            errorKinds[sample.errorKind ?? "unknown", default: 0] += 1
        }
    }
}

extension ContinuousClock.Instant {
    var secondsElapsed: Double {
        let duration = self.duration(to: .now)
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
