import AssayCore
import AssayPostgres
import AssayStore
import AssaySuites
import Foundation
import Logging

/// The measuring machine's side of `assay run --workers`: each request the runner would make is
/// queued in PostgreSQL instead, and its sample comes back from whichever worker ran it. The
/// runner is otherwise unchanged: each job reserves its cost ceiling before it is queued and
/// settles to what the worker reports, so workers can spend no more than the run's budget
/// (judge calls on workers excepted: they are charged when the sample returns).
package actor WorkerDispatch {
    let queue: GradingQueue
    /// This run's key in the queue: jobs of other runs sharing the store are not this run's.
    package nonisolated let run = UUID().uuidString
    let logger: Logger
    private var published: Set<String> = []
    private var waiting: [Int64: CheckedContinuation<FinishedJob?, Never>] = [:]
    private var arrived: [Int64: FinishedJob] = [:]
    private var stats = WorkerRunStats()
    private var quietSince = ContinuousClock.now

    package init(queue: GradingQueue, logger: Logger) {
        self.queue = queue
        self.logger = logger
    }

    /// What the workers did for this run so far.
    package var summary: WorkerRunStats { stats }

    /// Queues one request and waits for its sample. Cancelled (Ctrl-C), it returns an error
    /// sample at once, which the runner does not store.
    func execute(_ work: WorkItem, maxTokens: Int, judgePrice: PriceSheet?, budget: RunBudget) async throws -> SampleRecord {
        try await publish(work.suite)
        let id = try await queue.enqueue(run: run, payload: RemoteJob(work, maxTokens: maxTokens, judgePrice: judgePrice).jsonText)
        let finished = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in register(id, continuation) }
        } onCancel: {
            Task { await self.abandon(id) }
        }
        guard let finished else {
            return SampleRecord(jobId: work.jobID, itemId: work.itemID, epoch: work.epoch, status: .error,
                                errorKind: "interrupted", errorMessage: "the run was interrupted before a worker answered")
        }
        return await sample(for: finished, work: work, budget: budget)
    }

    /// The sample a finished job stores, as a local run would have stored it.
    private func sample(for finished: FinishedJob, work: WorkItem, budget: RunBudget) async -> SampleRecord {
        if finished.attempts > 1 { stats.reclaimed += 1 }
        func failure(_ message: String) -> SampleRecord {
            SampleRecord(jobId: work.jobID, itemId: work.itemID, epoch: work.epoch, status: .error, errorKind: "worker", errorMessage: message)
        }
        guard let text = finished.result else {
            stats.lost += 1
            return failure("every worker that claimed this job was lost (\(finished.attempts) claims ran out of their lease); "
                           + "rerun to ask again")
        }
        do throws(RemoteJobProblem) {
            let result = try RemoteResult.parse(text)
            if !stats.workers.contains(result.worker) {
                stats.workers.append(result.worker)
                stats.workers.sort()
            }
            if result.judgeCostNusd > 0 { await budget.settle(.zero, cost: Money(nanoUSD: result.judgeCostNusd), judge: true) }
            var sample = result.sample
            (sample.id, sample.jobId, sample.itemId, sample.epoch) = (nil, work.jobID, work.itemID, work.epoch)
            return sample
        } catch {
            return failure(error.message)
        }
    }

    private func register(_ id: Int64, _ continuation: CheckedContinuation<FinishedJob?, Never>) {
        if let finished = arrived.removeValue(forKey: id) {
            continuation.resume(returning: finished)
        } else if Task.isCancelled {
            continuation.resume(returning: nil)
        } else {
            waiting[id] = continuation
        }
    }

    private func abandon(_ id: Int64) {
        waiting.removeValue(forKey: id)?.resume(returning: nil)
    }

    private func deliver(_ jobs: [FinishedJob]) {
        for job in jobs {
            if let continuation = waiting.removeValue(forKey: job.id) {
                continuation.resume(returning: job)
            } else {
                arrived[job.id] = job   // finished before its enqueue returned
            }
        }
    }

    /// Publishes a suite's text once per run, checked against the hash the run planned with.
    private func publish(_ suite: Suite) async throws {
        guard !published.contains(suite.contentSHA256) else { return }
        guard let data = FileManager.default.contents(atPath: suite.file), sha256Hex(Array(data)) == suite.contentSHA256,
              let body = String(data: data, encoding: .utf8) else {
            throw AssayError(.suite, "\(suite.file): the suite changed (or cannot be read) since the run loaded it, so workers cannot be "
                             + "given the items this run planned", hint: "rerun when the suite files no longer change")
        }
        try await queue.publishSuite(sha256: suite.contentSHA256, name: suite.name, body: body)
        published.insert(suite.contentSHA256)
    }

    /// Runs `body` while results are collected from the queue; afterwards (also when `body`
    /// throws or is cancelled) removes what is left of the run's jobs.
    package nonisolated func whilePolling<T>(_ body: () async throws -> T) async throws -> T {
        let poller = Task { await self.poll() }
        do {
            let result = try await body()
            poller.cancel()
            await Task { await self.removeJobs() }.value
            return result
        } catch {
            poller.cancel()
            await Task { await self.removeJobs() }.value
            throw error
        }
    }

    private func removeJobs() async {
        do { try await queue.remove(run: run) } catch {
            logger.warning("cannot remove the run's jobs from the queue", metadata: ["assay.run.key": "\(run)", "error": "\(error)"])
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            do {
                try await queue.failExhausted(run: run)
                deliver(try await queue.collect(run: run))
                try await warnWhenNoWorker()
            } catch {
                logger.warning("cannot read the job queue; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Says so when jobs wait and no worker has claimed one for 30 seconds.
    private func warnWhenNoWorker() async throws {
        guard quietSince.duration(to: .now) > .seconds(30) else { return }
        let counts = try await queue.counts(run: run)
        if counts.claimed == 0 && counts.pending > 0 {
            logger.warning("\(counts.pending) jobs wait in the queue and no worker is running them: start 'assay worker' against the same postgres.url",
                           metadata: ["assay.run.key": "\(run)"])
        }
        quietSince = .now
    }
}

/// What the workers did for a run: in `assay run --workers --json` as `workers`.
package struct WorkerRunStats: Sendable, Codable, Hashable {
    /// The workers that wrote this run's samples.
    package var workers: [String] = []
    /// Jobs claimed more than once (a worker was lost or stalled past its lease) and finished by another.
    package var reclaimed = 0
    /// Jobs given up after `GradingQueue.maxAttempts` lost claims (stored as error samples).
    package var lost = 0
}
