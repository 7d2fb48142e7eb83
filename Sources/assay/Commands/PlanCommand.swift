import AssayCore
import AssayHarness
import AssayStore
import AssaySuites
import ArgumentParser
import Foundation

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "What a run would measure, why, and what it would cost.",
        discussion: """
            Reasons, in the order a budget is spent: new_model, undecided (the catalog cannot tell the \
            entry from its task's best), new_effort, new_suite_version, missing_samples, stale (older than \
            nightly.max_age_days). Costs are estimated from the entry's own mean cost per item, else the \
            suite's typical tokens at that effort priced at this model's prices. Nothing is sent.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "List the providers' models first and include new ones their 'discover' rule queues.") var discover = false
    @Flag(help: "Print the plan as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig(required: true)
            let database = try AssayDatabase(path: global.databasePath(config))
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            var models = config.models
            if discover {
                let queued = try await NightlySteps.discover(config: config, database: database, logger: Pipeline.logger()).queued
                models = NightlySteps.withQueued(config, queued).models
            }
            let plan = try Planner(config: config, database: database)
                .plan(models: models, suites: suites, undecided: NightlySteps.undecided(catalogDirectory: config.catalog))
            if json { try printJSON(plan) } else { NightlySteps.printPlan(plan) }
        }
    }
}
