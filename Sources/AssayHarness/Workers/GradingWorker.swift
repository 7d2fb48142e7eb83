import AssayCore
import AssayPostgres
import AssayProviders
import AssayStore
import AssaySuites
import Foundation
import Logging

/// `assay worker`: claims jobs from the queue in PostgreSQL, asks and grades each with this
/// machine's providers, sandbox and judge (the same `ItemAsker` a local run uses), and writes
/// each sample back under its claim. Leases are renewed while jobs run; a worker killed mid-job
/// loses nothing (its leases run out and another worker claims the jobs), and a worker stopped by
/// a signal hands its unfinished claims back at once.
package struct GradingWorker: Sendable {
    package var config: AssayConfig
    package var queue: GradingQueue
    package var options: WorkerOptions
    package var logger: Logger

    package init(config: AssayConfig, queue: GradingQueue, options: WorkerOptions, logger: Logger) {
        self.config = config
        self.queue = queue
        self.options = options
        self.logger = logger
    }

    /// Runs until `maxJobs` are done, the queue stays empty for `idleExitSeconds`, or the task is
    /// cancelled (SIGTERM, Ctrl-C): then it releases what it holds and returns what it did.
    package func run() async throws -> WorkerSummary {
        try await queue.migrate()
        let (config, logger, options) = (config, logger, options)
        return try await ProviderRegistry.using(config, connections: options.concurrency, logger: logger) { registry in
            try await registry.preflight(config: config, providers: Set(config.providers.keys))
            let grading = try Grading(config: config, providers: registry)
            // A worker cannot know whether the jobs it will claim grade code: refuse to start
            // where code would run unisolated, as a local run of a coding suite does.
            try grading.sandbox.checkIsolation()
            let session = WorkerSession(worker: self, asker: ItemAsker(config: config, providers: registry), grading: grading)
            return try await session.run()
        }
    }
}

/// One worker's run: its claims, its counts and its loop.
private actor WorkerSession {
    let worker: GradingWorker
    let asker: ItemAsker
    let grading: Grading
    let suites: SuiteCache
    private var held: [Int64: ClaimedJob] = [:]
    private var summary: WorkerSummary
    private let started = ContinuousClock.now

    init(worker: GradingWorker, asker: ItemAsker, grading: Grading) {
        self.worker = worker
        self.asker = asker
        self.grading = grading
        self.suites = SuiteCache(queue: worker.queue)
        self.summary = WorkerSummary(worker: worker.options.name)
    }

    var options: WorkerOptions { worker.options }
    var queue: GradingQueue { worker.queue }
    var logger: Logger { worker.logger }

    func run() async throws -> WorkerSummary {
        logger.info("worker started", metadata: ["assay.worker": "\(options.name)", "assay.worker.concurrency": "\(options.concurrency)",
                                                 "assay.worker.lease_seconds": "\(options.leaseSeconds)"])
        let heartbeat = Task { await self.renewLeases() }
        defer { heartbeat.cancel() }
        do {
            try await claimLoop()
        } catch is CancellationError {
            summary.stopped = "signal"
        } catch where Task.isCancelled {
            summary.stopped = "signal"
        }
        heartbeat.cancel()
        // Claims still held were cut short: hand them back now rather than let them expire.
        let tokens = held.values.map(\.token)
        if !tokens.isEmpty {
            let queue = queue
            try? await Task { try await queue.release(tokens: tokens) }.value
            summary.released = tokens.count
            held.removeAll()
        }
        summary.elapsedSeconds = started.secondsElapsed
        logger.info("worker stopped", metadata: ["assay.worker": "\(options.name)", "assay.worker.jobs": "\(summary.jobs)",
                                                 "assay.worker.stopped": "\(summary.stopped)"])
        return summary
    }

    private func claimLoop() async throws {
        // A child returns true when it was a job, false when it was a poll tick: a worker with
        // room asks the queue again every poll interval even while its other jobs run.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var running = 0
            var claimedTotal = 0
            var ticking = false
            var idleSince = ContinuousClock.now
            while !Task.isCancelled {
                let room = min(options.concurrency - running, options.maxJobs.map { $0 - claimedTotal } ?? .max)
                if room <= 0 && running == 0 {
                    summary.stopped = "max-jobs"
                    return
                }
                let claimed = room > 0 ? try await queue.claim(worker: options.name, limit: room, leaseSeconds: options.leaseSeconds) : []
                for job in claimed {
                    held[job.id] = job
                    group.addTask {
                        await self.process(job)
                        return true
                    }
                }
                running += claimed.count
                claimedTotal += claimed.count
                if !claimed.isEmpty || running > 0 { idleSince = .now }
                if running > 0 && (claimed.isEmpty || running >= options.concurrency) {
                    // Busy: wait for a job to finish, or for the next poll when there is room.
                    let hasRoom = running < options.concurrency && options.maxJobs.map { claimedTotal < $0 } ?? true
                    if hasRoom && !ticking {
                        ticking = true
                        let poll = options.pollSeconds
                        group.addTask {
                            try? await Task.sleep(for: .seconds(poll))
                            return false
                        }
                    }
                    if let wasJob = try await group.next() {
                        if wasJob { running -= 1 } else { ticking = false }
                    }
                } else if claimed.isEmpty {
                    if let idle = options.idleExitSeconds, idleSince.duration(to: .now) >= .seconds(idle) {
                        summary.stopped = "idle"
                        return
                    }
                    try await Task.sleep(for: .seconds(options.pollSeconds))
                }
            }
            throw CancellationError()
        }
    }

    /// Asks, grades and writes back one job; cut short by a signal, it writes nothing (the claim
    /// is released).
    private func process(_ job: ClaimedJob) async {
        let began = ContinuousClock.now
        let (sample, judgeCost, label) = await outcome(of: job)
        if Task.isCancelled { return }
        let result = RemoteResult(sample: sample, judgeCostNusd: judgeCost.nanoUSD, worker: options.name)
        do {
            let stored = try await queue.complete(job, result: result.jsonText)
            finished(job, sample: sample, judgeCost: judgeCost, stored: stored, label: label, seconds: began.secondsElapsed)
        } catch {
            // The claim stays until its lease runs out; another worker then runs the job.
            logger.error("cannot store a job's result; its claim will expire and another worker runs it",
                         metadata: ["assay.job": "\(job.id)", "error": "\(error)"])
            held[job.id] = nil
        }
    }

    private func finished(_ job: ClaimedJob, sample: SampleRecord, judgeCost: Money, stored: Bool, label: String, seconds: Double) {
        held[job.id] = nil
        guard stored else {
            summary.lostClaims += 1
            logger.warning("a job's claim was lost before its result was written (lease ran out or the run was removed); result dropped",
                           metadata: ["assay.job": "\(job.id)", "assay.item": "\(label)"])
            return
        }
        summary.jobs += 1
        summary.spentNusd += sample.costNusd + judgeCost.nanoUSD
        if sample.status == .error { summary.errors += 1 }
        logger.info("job done", metadata: [
            "assay.job": "\(job.id)", "assay.item": "\(label)", "assay.status": "\(sample.status)",
            "assay.score": "\(sample.score.map { String($0) } ?? "-")", "assay.error_kind": "\(sample.errorKind ?? "-")",
            "assay.seconds": "\(String(format: "%.2f", seconds))",
        ])
    }

    /// The sample for a job (an error sample when the job itself cannot be run), what its judge
    /// calls cost, and a label for logs.
    private func outcome(of job: ClaimedJob) async -> (SampleRecord, Money, String) {
        let remote: RemoteJob
        let work: WorkItem
        do throws(RemoteJobProblem) {
            remote = try RemoteJob.parse(job.payload)
            let suite = try await suites.suite(sha256: remote.suiteSHA256, name: remote.suite)
            guard let item = suite.items.first(where: { $0.id == remote.item }) else {
                throw RemoteJobProblem("suite \(remote.suite) has no item '\(clip(remote.item, 80))'")
            }
            work = WorkItem(jobID: 0, itemID: 0, epoch: remote.epoch, model: ModelRef(remote.model)!, effort: Effort(rawValue: remote.effort)!,
                            suite: suite, item: item, price: remote.price,
                            effortParameter: remote.effortParameter.flatMap(EffortParameter.init(rawValue:)))
        } catch {
            return (SampleRecord(jobId: 0, itemId: 0, epoch: 0, status: .error, errorKind: "job", errorMessage: error.message), .zero,
                    "job \(job.id)")
        }
        var asker = asker
        asker.config.maxTokens = remote.maxTokens
        // The judge's calls are counted apart so the measuring machine charges them to the run.
        let meter = RunBudget(limit: nil)
        var prices: [ModelRef: PriceSheet] = [:]
        if let judge = asker.config.judge, let price = remote.judgePrice { prices[judge] = price }
        let sample = await asker.execute(work, grading: grading.metered(by: meter, prices: prices))
        return (sample, await meter.judgeSpent, "\(remote.model)@\(remote.effort) \(remote.suite)/\(remote.item)")
    }

    /// Renews every held claim each third of the lease, until cancelled.
    private func renewLeases() async {
        let period = max(0.05, options.leaseSeconds / 3)
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(period))
            let tokens = held.values.map(\.token)
            do {
                let lost = try await queue.renew(tokens: tokens, leaseSeconds: options.leaseSeconds)
                if !lost.isEmpty {
                    logger.warning("claims lost before their jobs finished (leases ran out); their results will be dropped",
                                   metadata: ["assay.worker.lost": "\(lost.count)"])
                }
            } catch {
                logger.warning("cannot renew leases; retrying", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Suites by content hash, read from the queue once per worker and checked against the hash.
private actor SuiteCache {
    let queue: GradingQueue
    private var suites: [String: Suite] = [:]

    init(queue: GradingQueue) { self.queue = queue }

    func suite(sha256: String, name: String) async throws(RemoteJobProblem) -> Suite {
        if let suite = suites[sha256] { return suite }
        let body: String?
        do { body = try await queue.suiteBody(sha256: sha256) } catch {
            throw RemoteJobProblem("cannot read suite \(clip(name, 80)) from the queue: \(error)")
        }
        guard let body else { throw RemoteJobProblem("suite \(clip(name, 80)) (\(clip(sha256, 64))) was never published to the queue") }
        guard sha256Hex(body) == sha256 else {
            throw RemoteJobProblem("suite \(clip(name, 80)) in the queue does not match its hash \(clip(sha256, 64))")
        }
        let sink = DiagnosticSink(file: "postgres:\(name)")
        guard let suite = SuiteLoader.parse(body, file: "postgres:\(name)", sink: sink, contentSHA256: sha256) else {
            let problems = sink.diagnostics.prefix(3).map { "\($0)" }.joined(separator: "; ")
            throw RemoteJobProblem("suite \(clip(name, 80)) from the queue does not load: \(problems)")
        }
        suites[sha256] = suite
        return suite
    }
}
