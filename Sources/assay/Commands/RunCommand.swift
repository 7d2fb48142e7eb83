import AssayCore
import AssayHarness
import AssayStore
import AssaySuites
import ArgumentParser
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run suites × models × efforts and store every graded sample.",
        discussion: """
            Samples already stored for the same model, effort, suite content and epoch are not asked \
            again, so rerunning after an interruption only pays for what is missing. \
            Exits 3 when the run finished but some samples failed.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(name: .customLong("suite"), help: "Suite or task to run (repeatable; default: all).") var suites: [String] = []
    @Option(name: .customLong("model"), help: "Model to run, provider/model or model (repeatable; default: all configured).") var models: [String] = []
    @Option(name: .customLong("effort"), help: "Effort to run (repeatable; default: each model's configured efforts).") var efforts: [String] = []
    @Option(help: "Requests in flight at once (default: run.concurrency in the config).") var concurrency: Int?
    @Option(help: "Times to ask each item (default: run.epochs).") var epochs: Int?
    @Option(help: "Stop sending requests once this many USD are spent, e.g. 2.50.") var budget: DollarAmount?
    @Flag(help: "Finish the newest interrupted or killed run: the same suites, models, efforts and epochs, with what is left of its budget. Samples it stored are not asked again.")
    var resume = false
    @Flag(help: "Queue the requests in the PostgreSQL store (postgres: in the config) for 'assay worker's to ask and grade; wait for them and store their samples here (docs/deploy.md#workers).")
    var workers = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        for effort in efforts where Effort(rawValue: effort) == nil {
            throw ValidationError("unknown effort '\(effort)'; use one of \(Effort.allowedValuesText)")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
    }

    func run() async throws {
        try await reportingErrors {
            var config = try global.loadConfig(required: true)
            sandbox.apply(to: &config)
            if workers { _ = try workersStore(config) }
            let lock = try RunLock(database: global.databasePath(config), purpose: "assay run")
            defer { withExtendedLifetime(lock) {} }
            let database = try AssayDatabase(path: global.databasePath(config))
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            var options = RunOptions(suites: self.suites, models: models, efforts: efforts.compactMap(Effort.init(rawValue:)),
                                     concurrency: concurrency, epochs: epochs, budget: budget?.money)
            if resume { options = try resumedOptions(database: database, concurrency: concurrency) }
            let measurement = Measurement(config: config, database: database, logger: Pipeline.logger())
            let summary = try await Self.measure(measurement, workers: workers) { [options] measurement in
                try await measurement.run(suites: suites, options: options, progress: TerminalProgress(label: "run"),
                                          scope: { try await cancellingOnSignals($0) })
            }
            if json { try printJSON(summary) } else { Pipeline.printSummary(summary) }
            if summary.status == .interrupted { throw ExitCode(130) }
            if summary.errors > 0 { throw ExitCode(3) }
        }
    }

    /// `body` with the measurement, through the workers' queue when `workers` is set.
    static func measure<T: Sendable>(_ measurement: AssayHarness.Measurement, workers: Bool,
                                     _ body: @Sendable (AssayHarness.Measurement) async throws -> T) async throws -> T {
        guard workers else { return try await body(measurement) }
        return try await withGradingQueue(measurement.config) { queue in
            var measurement = measurement
            measurement.queue = queue
            return try await body(measurement)
        }
    }

    /// The options of the newest unfinished run, with the budget it has left.
    func resumedOptions(database: AssayDatabase, concurrency: Int?) throws -> RunOptions {
        if !suites.isEmpty || !models.isEmpty || !efforts.isEmpty || epochs != nil || budget != nil {
            throw AssayError(.usage, "--resume repeats the interrupted run's selection; it takes no --suite, --model, --effort, --epochs or --budget")
        }
        guard let previous = try database.latestUnfinishedRun(), let id = previous.id else {
            throw AssayError(.notFound, "there is no interrupted run to resume in \(database.path)",
                             hint: "every run finished; 'assay run' measures what is missing")
        }
        guard var options = previous.optionsJson.flatMap(RunOptions.init(jsonText:)) else {
            throw AssayError(.database, "run \(id) did not record what it was asked to measure (it predates --resume)",
                             hint: "rerun it with the same 'assay run' arguments: stored samples are not asked again")
        }
        if let budget = options.budget { options.budget = budget - (try database.spent(byRun: previous)) }
        options.resumeOf = id
        if let concurrency { options.concurrency = concurrency }
        return options
    }
}
