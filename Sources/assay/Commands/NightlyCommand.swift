import AssayCatalog
import AssayCore
import AssayHarness
import AssayPricing
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
            Exit codes: 0 ok (also when the budget stopped the run); 3 some samples failed; 69 no provider could be \
            listed or reached; 75 another run holds the database; 130 interrupted.
            """)

    struct Summary: Codable {
        var newModels: [String]
        var goneModels: [String]
        var planned: Int
        var samples: Int
        var errors: Int
        var alreadyStored: Int
        var spentNusd: Int64
        var budgetNusd: Int64?
        var stoppedByBudget: Bool
        var catalogChanges: [String]
        var catalogSha256: String?
        var status: String
        /// Prices opened or changed by tonight's scrape, prices held in quarantine, and sources that failed.
        var pricesChanged = 0
        var pricesQuarantined = 0
        var priceSourceErrors: [String] = []

        enum CodingKeys: String, CodingKey {
            case newModels = "new_models", goneModels = "gone_models", planned, samples, errors, alreadyStored = "already_stored"
            case spentNusd = "spent_nusd", budgetNusd = "budget_nusd", stoppedByBudget = "stopped_by_budget"
            case catalogChanges = "catalog_changes", catalogSha256 = "catalog_sha256", status
            case pricesChanged = "prices_changed", pricesQuarantined = "prices_quarantined", priceSourceErrors = "price_source_errors"
        }

        var line: String {
            let budget = budgetNusd.map { " of \(Money(nanoUSD: $0))" } ?? ""
            let models = newModels.isEmpty ? "no new models" : "\(newModels.count) new model(s) (\(newModels.joined(separator: ", ")))"
            var text = "nightly \(status): \(models), \(samples) samples (\(errors) errors, \(alreadyStored) already stored), "
                + "spent \(Money(nanoUSD: spentNusd))\(budget), catalog: \(catalogChanges.count) change(s)"
            if stoppedByBudget { text += "; stopped by the budget" }
            if pricesChanged > 0 { text += "; \(pricesChanged) price(s) changed" }
            if pricesQuarantined > 0 { text += "; \(pricesQuarantined) price change(s) quarantined: see 'assay prices show', apply with 'assay prices approve'" }
            if !priceSourceErrors.isEmpty { text += "; price sources failed: \(priceSourceErrors.joined(separator: "; "))" }
            if !goneModels.isEmpty { text += "; gone: \(goneModels.joined(separator: ", "))" }
            return text
        }
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(help: "Tonight's budget in USD (default: nightly.budget_usd, else run.budget_usd).") var budget: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if let budget, Money(dollars: budget) == nil { throw ValidationError("--budget must be a dollar amount such as 5.00") }
    }

    func run() async throws {
        try await reportingErrors {
            var config = try global.loadConfig(required: true)
            sandbox.apply(to: &config)
            let lock = try RunLock(database: global.databasePath(config), purpose: "assay nightly")
            defer { withExtendedLifetime(lock) {} }
            let database = try AssayDatabase(path: global.databasePath(config))
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            let logger = Pipeline.logger()

            let (report, queued) = try await NightlySteps.discover(config: config, database: database, logger: logger)
            if !report.providers.isEmpty, report.providers.allSatisfy({ $0.error != nil }) {
                throw AssayError(.provider, "nightly: no provider could list its models: "
                                    + report.providers.compactMap(\.error).joined(separator: "; "),
                                 hint: "check base_url and keys in the config")
            }
            let prices = await Self.scrapePrices(config: config, database: database)
            let extended = NightlySteps.withQueued(config, queued)
            let plan = try Planner(config: extended, database: database)
                .plan(models: extended.models, suites: suites, undecided: NightlySteps.undecided(catalogDirectory: config.catalog))
            let budget = self.budget.flatMap { Money(dollars: $0) } ?? config.nightly.budget ?? config.budget
            // New: first listed tonight, or queued and never measured (an earlier 'plan --discover' may have listed it).
            let newModels = report.providers.flatMap { p in Set(p.new + p.queued).sorted().map { "\(p.provider)/\($0)" } }
            var summary = Summary(newModels: newModels,
                                  goneModels: report.providers.flatMap { p in p.gone.map { "\(p.provider)/\($0)" } },
                                  planned: plan.requests, samples: 0, errors: 0, alreadyStored: 0, spentNusd: 0,
                                  budgetNusd: budget?.nanoUSD, stoppedByBudget: false, catalogChanges: [], catalogSha256: nil,
                                  status: "finished", pricesChanged: prices.changed, pricesQuarantined: prices.quarantined,
                                  priceSourceErrors: prices.errors)
            if !plan.entries.isEmpty {
                let models = Array(Set(plan.entries.map(\.job.model))).sorted()
                var options = RunOptions(models: models, budget: budget, trigger: "nightly")
                options.jobs = plan.entries.map(\.job)
                let run = try await Pipeline.run(config: extended, database: database, suites: suites, options: options, logger: logger)
                summary.samples = run.completed
                summary.errors = run.errors
                summary.alreadyStored = run.alreadyStored
                summary.spentNusd = run.spentNanoUSD
                summary.stoppedByBudget = run.stoppedByBudget
                summary.status = run.status
            }
            if try database.sampleCount() > 0 {
                let previous = try? CatalogDocument.read(path: config.catalog + "/catalog.json")
                let (document, _) = try Pipeline.buildCatalog(database: database, directory: config.catalog,
                                                              suitesDirectory: config.suites, margin: config.margin)
                summary.catalogSha256 = document.contentSha256
                if let previous {
                    summary.catalogChanges = CatalogDiff(old: previous, new: document).changes.map { "\($0.task) \($0.kind) \($0.entry)".trimmingCharacters(in: .whitespaces) }
                } else {
                    summary.catalogChanges = ["catalog created"]
                }
            }
            if json { try printJSON(summary) } else { print(summary.line) }
            if summary.status == "interrupted" { throw ExitCode(130) }
            if summary.errors > 0 || summary.pricesQuarantined > 0 { throw ExitCode(3) }
        }
    }

    /// Every configured pricing source, as 'assay prices scrape' does. A failed source or a
    /// quarantined change does not stop the night (the prices in force are used) but is reported.
    static func scrapePrices(config: AssayConfig, database: AssayDatabase) async -> (changed: Int, quarantined: Int, errors: [String]) {
        let scraper = PriceScraper(database: database, config: config.pricing)
        var result = (changed: 0, quarantined: 0, errors: [String]())
        for source in config.pricing.sources {
            do {
                let report = try await scraper.scrape(source)
                result.changed += report.outcome.opened.count
                result.quarantined += try database.pendingQuarantines(source: source.name).count
            } catch {
                result.errors.append("\(source.name): \(error)")
            }
        }
        return result
    }
}
