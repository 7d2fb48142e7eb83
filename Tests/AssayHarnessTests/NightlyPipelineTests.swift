import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssaySimulator
import AssayStore
import AssaySuites
import AssayTestSupport
import Foundation
import Testing

/// The nightly sequence in process against the simulator: discover, scrape, plan, run, build, diff.
@Suite("Nightly pipeline", .serialized)
struct NightlyPipelineTests {
    /// A folder with one small suite, and a config for two zoo models served at `port`.
    static func setUp(port: Int, directory: String) throws -> AssayConfig {
        let suites = directory + "/suites"
        if !FileManager.default.fileExists(atPath: suites) {
            try FileManager.default.createDirectory(atPath: suites, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Fixtures.suitesDirectory + "/classification/support-ticket-intent.yaml",
                                            toPath: suites + "/support-ticket-intent.yaml")
        }
        let paths = "suites: \(suites)\ncatalog: \(directory)/catalog\ndatabase: \(directory)/assay.sqlite\n"
        return try ConfigLoader.parse(paths + Fixtures.nightlyConfig(port: port), file: "test.yaml")
    }

    static func nightly(_ config: AssayConfig, budget: Money? = nil) async throws -> NightlySummary {
        let database = try AssayDatabase(path: config.database)
        let suites = try SuiteLoader.loadAll(directory: config.suites)
        return try await NightlyPipeline(config: config, database: database, suites: suites, budget: budget,
                                         logger: Fixtures.quietLogger).run()
    }

    @Test("the first night measures everything, scrapes prices and creates the catalog; the second measures nothing and changes nothing")
    func twoNights() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-nightly")
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let config = try Self.setUp(port: port, directory: directory)
            let items = try SuiteLoader.loadAll(directory: config.suites)[0].items.count

            let first = try await Self.nightly(config)
            #expect(first.status == .finished)
            #expect(first.samples == 2 * items && first.errors == 0 && first.planned == 2 * items)
            #expect(first.catalogChanges == ["catalog created"])
            #expect(first.pricesChanged > 0 && first.pricesQuarantined == 0 && first.priceSourceErrors.isEmpty)
            let catalog = try CatalogDocument.read(path: config.catalog + "/catalog.json")
            #expect(first.catalogSha256 == catalog.contentSha256)

            let second = try await Self.nightly(config)
            #expect(second.planned == 0 && second.samples == 0 && second.status == .finished)
            #expect(second.catalogChanges == [] && second.catalogSha256 == first.catalogSha256)
            #expect(second.pricesChanged == 0 && second.pricesQuarantined == 0)
        }
    }

    @Test("the budget given is tonight's ceiling and is reported")
    func budget() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-nightly")
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let config = try Self.setUp(port: port, directory: directory)
            let summary = try await Self.nightly(config, budget: Money(nanoUSD: 1))
            #expect(summary.budgetNusd == 1)
            #expect(summary.spentNusd <= 1)
            #expect(summary.stoppedByBudget)
        }
    }

    @Test("no provider listing its models stops the night before anything is scraped or run")
    func noProvider() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-nightly")
        let config = try Self.setUp(port: 1, directory: directory)
        let error = await #expect(throws: AssayError.self) { try await Self.nightly(config) }
        #expect(error?.code == .provider)
        #expect(try AssayDatabase(path: config.database).sampleCount() == 0)
    }

    @Test("plan without discovery lists the configured models' missing work")
    func plan() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-nightly")
        let config = try Self.setUp(port: 1, directory: directory)
        let database = try AssayDatabase(path: config.database)
        let plan = try await NightlyPipeline(config: config, database: database, suites: try SuiteLoader.loadAll(directory: config.suites),
                                             logger: Fixtures.quietLogger).plan(discover: false)
        #expect(Set(plan.entries.map(\.job.model)) == ["sim/pebble-1", "sim/finch-mini"])
    }

    @Test("an undecided verdict schedules no epoch (the same items cannot settle it); the plan says how many more items would, or that none would")
    func undecidedSchedulesNothing() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-nightly")
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let config = try Self.setUp(port: port, directory: directory)
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            let first = try await Self.nightly(config)
            #expect(first.status == .finished && first.errors == 0)
            // The catalog now says the non-best entry is undecided: once with items that would
            // settle it, once sitting on the margin (no number of items would).
            let path = config.catalog + "/catalog.json"
            var catalog = try CatalogDocument.read(path: path)
            let task = try #require(catalog.tasks.firstIndex { $0.task == "classification" })
            let bestRef = try #require(catalog.tasks[task].best)
            let other = try #require(catalog.tasks[task].entries.firstIndex { $0.model != bestRef.model })
            catalog.tasks[task].entries[other].verdict = .undecided
            catalog.tasks[task].entries[other].probabilityWithinMargin = 0.6
            catalog.tasks[task].entries[other].comparison = .init(sharedItems: 36, meanDifference: -0.01, differenceCi: [-0.05, 0.03],
                                                                  itemsToSettle: 120)
            try CatalogDocument.encoder().encode(catalog).write(to: URL(fileURLWithPath: path))

            let database = try AssayDatabase(path: config.database)
            let pipeline = NightlyPipeline(config: config, database: database, suites: suites, logger: Fixtures.quietLogger)
            let plan = try await pipeline.plan(discover: false)
            // Before: a second epoch of all 36 items for the undecided entry. Now nothing to run.
            #expect(plan.entries.isEmpty, "\(plan.entries)")
            let settle = try #require(plan.settling.first)
            #expect(plan.settling.count == 1)
            #expect(settle.entry.model == catalog.tasks[task].entries[other].model && settle.task == "classification")
            #expect(settle.settledBy == .moreItems && settle.itemsToSettle == 120 && settle.taskItems == suites[0].items.count)
            let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
            #expect(json.contains("\"settled_by\":\"more_items\"") && json.contains("\"task_items\":\(suites[0].items.count)"), "\(json)")
            // A second night runs nothing for it either.
            let second = try await Self.nightly(config)
            #expect(second.planned == 0 && second.samples == 0)

            catalog.tasks[task].entries[other].comparison?.itemsToSettle = nil
            try CatalogDocument.encoder().encode(catalog).write(to: URL(fileURLWithPath: path))
            let margin = try await pipeline.plan(discover: false)
            #expect(margin.entries.isEmpty)
            #expect(margin.settling.first?.settledBy == .nothing && margin.settling.first?.estimatedCostNusd == nil)
        }
    }
}
