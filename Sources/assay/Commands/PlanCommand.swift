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
            Reasons, in the order a budget is spent: new_model, new_suite, new_effort, new_suite_version, \
            missing_samples, stale (older than nightly.max_age_days). Costs are estimated from the entry's own \
            mean cost per item, else the suite's typical tokens at that effort priced at this model's prices. \
            Nothing is sent. An undecided verdict schedules nothing: the catalog's rule weighs items, so another \
            epoch on the same items cannot settle it. Instead, for each undecided verdict in the catalog: about \
            how many more items like the measured ones would settle it (its items_to_settle, against the items \
            the task's suites hold now) and what measuring the entry and the best on them costs at their mean \
            cost per item, or that no number of items would (the entry sits on the margin).
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "List the providers' models first and include new ones their 'discover' rule queues.") var discover = false
    @Flag(help: "Print the plan as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig(required: true)
            let database = try AssayDatabase(path: global.databasePath(config))
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            let plan = try await NightlyPipeline(config: config, database: database, suites: suites, logger: Pipeline.logger())
                .plan(discover: discover)
            if json { try printJSON(plan) } else { Self.print(plan) }
        }
    }

    static func print(_ plan: Planner.Plan) {
        if plan.entries.isEmpty {
            Swift.print("nothing to measure: every configured model, effort and suite is measured, complete, decided and fresh")
        }
        for entry in plan.entries {
            let job = entry.job
            Swift.print("\(job.model) @ \(job.effort)  \(job.suite) epoch \(job.epoch)  \(entry.items) items  ~\(Money(nanoUSD: entry.estimatedCostNusd))  \(entry.reason.explanation)")
        }
        for line in plan.skipped { Swift.print("skipped \(line)") }
        if !plan.entries.isEmpty {
            Swift.print("total: \(plan.requests) requests, estimated \(Money(nanoUSD: plan.estimatedCostNusd))")
        }
        if !plan.settling.isEmpty {
            Swift.print("undecided verdicts, none scheduled (another epoch re-asks the same items and cannot settle them); what would settle each:")
        }
        for settle in plan.settling {
            let p = settle.probabilityWithinMargin.map { "P=\(Money.fixed($0, digits: 2))" } ?? "P=?"
            let holding = settle.taskItems.map { " (the task's suites hold \($0))" } ?? ""
            let need = settle.itemsToSettle.map { items in
                "~\(items) more items\(holding), ~\(Money(nanoUSD: settle.estimatedCostNusd ?? 0)) (\(Money(nanoUSD: settle.costPerItemNusd))/item for it + \(Money(nanoUSD: settle.bestCostPerItemNusd))/item for the best)"
            } ?? "nothing settles it: 64× the items would not (it sits on the margin)"
            Swift.print("  \(settle.task)  \(settle.entry) vs \(settle.best)  \(p) on \(settle.sharedItems) items  \(need)")
        }
    }
}
