import AssayCore
import AssayHarness
import AssayStore
import AssaySuites
import ArgumentParser
import Foundation

struct NightlyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly", abstract: "Discover models, plan, run within the nightly budget, rebuild the catalog; one summary line.",
        discussion: """
            Meant for cron or a systemd timer (README). Steps: 'models discover' (new models matching a provider's \
            'discover' rule are queued), 'plan' (new models first, then undecided entries, new efforts, new suite \
            versions, gaps, stale results), 'run' with nightly.budget_usd as a hard ceiling, 'catalog build', and a \
            one-line summary (--json for alerting). A second nightly while one runs exits 75. A killed nightly is \
            finished by the next one: nothing stored is asked again.
            With --workers the run step queues its requests in the PostgreSQL store for 'assay worker's and \
            waits for them (docs/deploy.md#workers).
            Exit codes: 0 ok (also when the budget stopped the run); 3 some samples failed; 69 no provider could be \
            listed or reached; 75 another run holds the database; 130 interrupted.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(help: "Tonight's budget in USD (default: nightly.budget_usd, else run.budget_usd).") var budget: DollarAmount?
    @Flag(help: "Tonight's requests are asked and graded by 'assay worker's through the PostgreSQL queue (postgres: in the config); this machine discovers, plans, waits for them and builds the catalog (docs/deploy.md#workers).")
    var workers = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            var config = try global.loadConfig(required: true)
            sandbox.apply(to: &config)
            if workers { _ = try workersStore(config) }
            let lock = try RunLock(database: global.databasePath(config), purpose: "assay nightly")
            defer { withExtendedLifetime(lock) {} }
            let database = try AssayDatabase(path: global.databasePath(config))
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            let pipeline = NightlyPipeline(config: config, database: database, suites: suites, budget: budget?.money, logger: Pipeline.logger())
            let summary = try await Self.measure(pipeline, workers: workers) { pipeline in
                try await pipeline.run(progress: TerminalProgress(label: "run"), scope: { try await cancellingOnSignals($0) })
            }
            if json { try printJSON(summary) } else { print(summary.line) }
            if summary.status == .interrupted { throw ExitCode(130) }
            if summary.errors > 0 || summary.pricesQuarantined > 0 { throw ExitCode(3) }
        }
    }

    /// `body` with the pipeline, its run through the workers' queue when `workers` is set.
    static func measure<T: Sendable>(_ pipeline: NightlyPipeline, workers: Bool,
                                     _ body: @Sendable (NightlyPipeline) async throws -> T) async throws -> T {
        guard workers else { return try await body(pipeline) }
        return try await withGradingQueue(pipeline.config) { queue in
            var pipeline = pipeline
            pipeline.queue = queue
            return try await body(pipeline)
        }
    }
}
