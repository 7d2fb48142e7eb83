import AssayCatalog
import AssayCore
import AssayHarness
import AssayProviders
import AssayStore
import AssaySuites
import Foundation
import Logging

/// The steps `models discover`, `plan` and `nightly` share.
enum NightlySteps {
    /// Discovery against every configured provider, with its own HTTP client.
    static func discover(config: AssayConfig, database: AssayDatabase, logger: Logger) async throws
        -> (report: ModelDiscovery.Report, queued: [AssayConfig.ModelEntry]) {
        try await Pipeline.withProviders(config, connections: 4, logger: logger) { registry in
            try await ModelDiscovery(config: config, database: database, providers: registry, logger: logger).discover()
        }
    }

    /// The config's models plus the queued ones, the configured entry winning.
    static func withQueued(_ config: AssayConfig, _ queued: [AssayConfig.ModelEntry]) -> AssayConfig {
        var extended = config
        for entry in queued where !extended.models.contains(where: { $0.ref == entry.ref }) { extended.models.append(entry) }
        return extended
    }

    /// Entries the current catalog could not decide against their task's best.
    static func undecided(catalogDirectory: String) -> Set<UndecidedEntry> {
        guard let document = try? CatalogDocument.read(path: catalogDirectory + "/catalog.json") else { return [] }
        var result: Set<UndecidedEntry> = []
        for section in document.tasks {
            for entry in section.entries where entry.verdict == "undecided" {
                result.insert(UndecidedEntry(entry: entry.name, task: section.task))
            }
        }
        return result
    }

    static func printPlan(_ plan: Planner.Plan) {
        if plan.entries.isEmpty {
            print("nothing to measure: every configured model, effort and suite is measured, complete, decided and fresh")
        }
        for entry in plan.entries {
            let job = entry.job
            print("\(job.model) @ \(job.effort)  \(job.suite) epoch \(job.epoch)  \(entry.items) items  ~\(Money(nanoUSD: entry.estimatedCostNusd))  \(entry.reason.explanation)")
        }
        for line in plan.skipped { print("skipped \(line)") }
        if !plan.entries.isEmpty {
            print("total: \(plan.requests) requests, estimated \(Money(nanoUSD: plan.estimatedCostNusd))")
        }
    }
}
