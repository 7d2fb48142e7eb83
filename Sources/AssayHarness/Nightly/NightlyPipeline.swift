import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayPostgres
import AssayPricing
import AssayStore
import AssaySuites
import Foundation
import Logging

/// The nightly sequence: discover → scrape prices → plan → run within the budget → rebuild the
/// catalog → diff it against last night's. `assay nightly` is this plus the exit code.
package struct NightlyPipeline: Sendable {
    package var config: AssayConfig
    package var database: AssayDatabase
    package var suites: [Suite]
    /// Tonight's ceiling; nil takes `nightly.budget_usd`, else `run.budget_usd`.
    package var budget: Money?
    package var logger: Logger
    /// When set, tonight's run is asked and graded by `assay worker`s through this queue
    /// (`assay nightly --workers`); discovery, prices and the catalog stay on this machine.
    package var queue: GradingQueue?

    package init(config: AssayConfig, database: AssayDatabase, suites: [Suite], budget: Money? = nil, logger: Logger) {
        self.config = config
        self.database = database
        self.suites = suites
        self.budget = budget
        self.logger = logger
    }

    /// Runs the whole sequence. Fails when no provider could list its models; a failed price
    /// source or a quarantined price does not stop the night (the prices in force are used).
    package func run(progress: any RunProgressReporter = SilentProgress(), scope: RunScope = { try await $0() }) async throws -> NightlySummary {
        let measurement = Measurement(config: config, database: database, logger: logger)
        let (report, queued) = try await measurement.discover()
        if !report.providers.isEmpty, report.providers.allSatisfy({ $0.error != nil }) {
            throw AssayError(.provider, "nightly: no provider could list its models: "
                                + report.providers.compactMap(\.error).joined(separator: "; "),
                             hint: "check base_url and keys in the config")
        }
        let prices = await PriceScraper(database: database, config: config.pricing).scrape(config.pricing.sources)
        let extended = config.adding(queued)
        let plan = try Planner(config: extended, database: database)
            .plan(models: extended.models, suites: suites)
        let budget = self.budget ?? config.nightly.budget ?? config.budget
        // New: first listed tonight, or queued and never measured (an earlier 'plan --discover' may have listed it).
        let newModels = report.providers.flatMap { p in Set(p.new + p.queued).sorted().map { "\(p.provider)/\($0)" } }
        var summary = NightlySummary(newModels: newModels,
                                     goneModels: report.providers.flatMap { p in p.gone.map { "\(p.provider)/\($0)" } },
                                     planned: plan.requests, samples: 0, errors: 0, alreadyStored: 0, spentNusd: 0,
                                     budgetNusd: budget?.nanoUSD, stoppedByBudget: false, catalogChanges: [], catalogSha256: nil,
                                     status: .finished, pricesChanged: prices.changed, pricesQuarantined: prices.quarantined,
                                     priceSourceErrors: prices.errors)
        if !plan.entries.isEmpty {
            var options = RunOptions(models: Array(Set(plan.entries.map(\.job.model))).sorted(), budget: budget, trigger: "nightly")
            options.jobs = plan.entries.map(\.job)
            var measurement = Measurement(config: extended, database: database, logger: logger)
            measurement.queue = queue
            let run = try await measurement
                .run(suites: suites, options: options, progress: progress, scope: scope)
            summary.samples = run.completed
            summary.errors = run.errors
            summary.alreadyStored = run.alreadyStored
            summary.spentNusd = run.spentNanoUSD
            summary.stoppedByBudget = run.stoppedByBudget
            summary.status = run.status
        }
        if try database.sampleCount() > 0 {
            let previous = try? CatalogDocument.read(path: config.catalog + "/catalog.json")
            var publisher = CatalogPublisher(database: database, directory: config.catalog, margin: config.margin,
                                             suitesDirectory: config.suites)
            publisher.minQuality = config.minQuality
            let document = try publisher.publish().document
            summary.catalogSha256 = document.contentSha256
            if let previous {
                summary.catalogChanges = CatalogDiff(old: previous, new: document).changes
                    .map { "\($0.task) \($0.kind) \($0.entry)".trimmingCharacters(in: .whitespaces) }
            } else {
                summary.catalogChanges = ["catalog created"]
            }
        }
        return summary
    }

    /// What a run would measure tonight: the configured models plus those discovery queued.
    package func plan(discover: Bool) async throws -> Planner.Plan {
        var models = config.models
        if discover {
            let queued = try await Measurement(config: config, database: database, logger: logger).discover().queued
            models = config.adding(queued).models
        }
        var plan = try Planner(config: config, database: database)
            .plan(models: models, suites: suites)
        plan.settling = Settling.read(catalogDirectory: config.catalog, suites: suites)
        return plan
    }
}

extension AssayConfig {
    /// The config's models plus `queued`, the configured entry winning.
    package func adding(_ queued: [AssayConfig.ModelEntry]) -> AssayConfig {
        var extended = self
        for entry in queued where !extended.models.contains(where: { $0.ref == entry.ref }) { extended.models.append(entry) }
        return extended
    }
}
