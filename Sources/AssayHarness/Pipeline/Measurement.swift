import AssayCore
import AssayPostgres
import AssayStore
import AssaySuites
import Logging

/// Wraps the part of a pipeline that sends requests; the CLI passes one that turns Ctrl-C into
/// cancellation, so the runner stores what finished and marks the run interrupted.
package typealias RunScope = @Sendable (@escaping @Sendable () async throws -> RunSummary) async throws -> RunSummary

/// Runs measurements the way `run`, `demo` and `nightly` do: providers over one client, checked
/// reachable first, then the runner.
package struct Measurement: Sendable {
    package var config: AssayConfig
    package var database: AssayDatabase
    package var logger: Logger
    /// The PostgreSQL job queue: when set, runs are asked and graded by `assay worker`s
    /// (docs/deploy.md#workers) and this machine only plans, waits and stores.
    package var queue: GradingQueue?

    package init(config: AssayConfig, database: AssayDatabase, logger: Logger) {
        self.config = config
        self.database = database
        self.logger = logger
    }

    /// Runs `options` over `suites`: fails before spending when a provider used cannot be reached.
    package func run(suites: [Suite], options: RunOptions, progress: any RunProgressReporter = SilentProgress(),
                    scope: RunScope = { try await $0() }) async throws -> RunSummary {
        let (config, database, logger, queue) = (config, database, logger, queue)
        return try await ProviderRegistry.using(config, connections: options.concurrency ?? config.concurrency, logger: logger) { registry in
            var runner = try Runner(config: config, database: database, providers: registry, logger: logger)
            if let queue {
                // The workers reach the providers; this machine need not.
                try await queue.migrate()
                runner.workers = WorkerDispatch(queue: queue, logger: logger)
            } else {
                let used = Set(try runner.select(models: options.models).map(\.ref.provider))
                try await registry.preflight(config: config, providers: used)
            }
            let prepared = runner
            return try await scope { try await prepared.run(suites: suites, options: options, progress: progress) }
        }
    }

    /// Lists every configured provider's models, records what changed and returns the models queued for measuring.
    package func discover() async throws -> (report: ModelDiscovery.Report, queued: [AssayConfig.ModelEntry]) {
        let (config, database, logger) = (config, database, logger)
        return try await ProviderRegistry.using(config, connections: 4, logger: logger) { registry in
            try await ModelDiscovery(config: config, database: database, providers: registry, logger: logger).discover()
        }
    }
}
