import AssayCore
import AssayHarness
import ArgumentParser
import Foundation
import Logging

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Claim jobs from the PostgreSQL queue, ask and grade them here, write the samples back.",
        discussion: """
            The measuring machine queues a run's requests with 'assay run --workers' or 'assay nightly --workers'; \
            each worker claims jobs (FOR UPDATE SKIP LOCKED), asks the model with this machine's providers and keys \
            (from the environment, never the database), grades the answer (the sandbox for code, the judge) and \
            writes the sample back under its claim. A claim is a lease the worker renews while it works: a worker \
            killed mid-job loses nothing, its jobs go to another worker once the lease runs out, and a result is \
            stored at most once. SIGTERM or Ctrl-C hands unfinished claims back at once and exits 0. \
            Needs the same config as the measuring machine (postgres:, providers:, judge:). Logs each job on \
            standard error (ASSAY_LOG_LEVEL=warning for less). See docs/deploy.md#workers.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(help: "The name its claims carry (default: host name and process id).") var name: String?
    @Option(help: "Jobs run at once (default: run.concurrency in the config).") var concurrency: Int?
    @Option(help: "Seconds a claim holds without renewal; a killed worker's jobs go to another this long after (default: 60).")
    var lease: Double = 60
    @Option(name: .customLong("max-jobs"), help: "Stop after this many jobs.") var maxJobs: Int?
    @Option(name: .customLong("idle-exit"), help: "Stop once nothing was claimable for this many seconds (default: wait for work).")
    var idleExit: Double?
    @Flag(help: "Stop as soon as the queue has nothing left to claim (--idle-exit 0).") var once = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if !(lease >= 1 && lease <= 86_400) { throw ValidationError("--lease must be from 1 to 86400 seconds") }
        if let maxJobs, maxJobs < 1 { throw ValidationError("--max-jobs must be at least 1") }
        if let idleExit, !(idleExit >= 0) { throw ValidationError("--idle-exit must be 0 or more seconds") }
        if once && idleExit != nil { throw ValidationError("--once is --idle-exit 0; give one of them") }
    }

    func run() async throws {
        try await reportingErrors {
            var config = try global.loadConfig(required: true)
            sandbox.apply(to: &config)
            let options = WorkerOptions(name: name, concurrency: concurrency ?? config.concurrency, leaseSeconds: lease, maxJobs: maxJobs,
                                        idleExitSeconds: once ? 0 : idleExit)
            var logger = Pipeline.logger()
            if ProcessInfo.processInfo.environment["ASSAY_LOG_LEVEL"] == nil { logger.logLevel = .info }
            let summary = try await withGradingQueue(config) { [config, logger] queue in
                try await cancellingOnSignals { try await GradingWorker(config: config, queue: queue, options: options, logger: logger).run() }
            }
            if json { try printJSON(summary) } else { print(summary.line) }
        }
    }
}
