import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssayPricing
import AssaySimulator
import AssayStore
import AssaySuites
import ArgumentParser
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on the built-in simulated model zoo (no API keys).",
        discussion: """
            Starts the simulator in-process on a free loopback port, writes a temporary config pointing \
            at it, runs every suite on every zoo model at every effort it takes, builds the catalog and \
            prints the best pick per task. Samples already stored are not asked again, so a second demo \
            is fast.
            """)

    @Option(help: "SQLite database.") var database = "results/assay.sqlite"
    @Option(help: "Suite folder.") var suites = "suites"
    @Option(help: "Catalog folder to write.") var catalog = "catalog"
    @Option(help: "Zoo profile YAML (default: the built-in zoo).") var zoo: String?
    @Option(help: "Requests in flight at once.") var concurrency = 32
    @Flag(help: "Print the picks as JSON.") var json = false
    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        try await reportingErrors {
            let lock = try RunLock(database: database, purpose: "assay demo")
            defer { withExtendedLifetime(lock) {} }
            let zooProfile = try zoo.map(Zoo.load(file:)) ?? Zoo.builtIn()
            let loaded = try SuiteLoader.loadAll(directory: suites)
            let logger = Pipeline.logger()
            let engine = SimulatorEngine(zoo: zooProfile, suites: loaded)
            let (database, suites, catalog, concurrency, json, sandbox) = (self.database, self.suites, self.catalog, self.concurrency, self.json, self.sandbox)
            try await SimulatorHost.withRunning(engine: engine, configuration: SimulatorConfiguration(port: 0), logger: logger) { port in
                let text = DemoConfig.text(provider: zooProfile.provider, port: port,
                                           models: zooProfile.models.map { .init(id: $0.id, efforts: $0.efforts.keys.sorted(), price: $0.price) },
                                           database: database, suites: suites, catalog: catalog, concurrency: concurrency,
                                           pricingURL: "http://127.0.0.1:\(port)/pricing",
                                           judge: zooProfile.models.last?.id)
                let configPath = NSTemporaryDirectory() + "assay-demo-\(ProcessInfo.processInfo.processIdentifier).yaml"
                guard FileManager.default.createFile(atPath: configPath, contents: Data(text.utf8)) else {
                    throw AssayError(.io, "cannot write the demo config \(configPath)")
                }
                defer { try? FileManager.default.removeItem(atPath: configPath) }
                var config = try ConfigLoader.load(file: configPath)
                sandbox.apply(to: &config)
                printError("demo: simulator on 127.0.0.1:\(port), \(zooProfile.models.count) models, \(loaded.count) suites")
                let store = try AssayDatabase(path: config.database)
                try await Self.scrapePrices(config: config, database: store)
                let summary = try await Measurement(config: config, database: store, logger: logger)
                    .run(suites: loaded, options: RunOptions(trigger: "demo"), progress: TerminalProgress(label: "run"),
                         scope: { try await cancellingOnSignals($0) })
                if !json { Pipeline.printSummary(summary) }
                if summary.status == .interrupted { throw ExitCode(130) }
                var publisher = CatalogPublisher(database: store, directory: config.catalog, margin: config.margin,
                                                 suitesDirectory: config.suites)
                publisher.minQuality = config.minQuality
                let published = try publisher.publish()
                let (document, written) = (published.document, published.written)
                // A task with no pick (nothing clears the quality floor) is listed apart, not an error.
                let answers = try document.tasks.filter { $0.noPickReason == nil }.map { try CatalogQuery.best(in: document, task: $0.task) }
                if json {
                    try printJSON(answers, encoder: CatalogDocument.encoder())
                } else {
                    print("wrote \(written.jsonPath) and \(written.markdownPath)")
                    print("")
                    print("best pick per task (cheapest shown within \(Format.points(document.margin)) of the best; * not certified on these items: most probably within):")
                    for answer in answers {
                        let mark = answer.certified == false ? "*" : " "
                        let p = answer.probabilityWithinMargin.map { "  P=\(Money.fixed($0, digits: 2))" } ?? ""
                        print(" \(mark)\(answer.task.padding(toLength: 15, withPad: " ", startingAt: 0)) \((answer.model + " @ " + answer.effort).padding(toLength: 28, withPad: " ", startingAt: 0)) quality \(Format.percent(answer.quality))  \(answer.costPerTaskUsd)/task  (best: \(answer.best.model) @ \(answer.best.effort), \(Format.percent(answer.bestQuality)))\(p)")
                    }
                    for section in document.tasks {
                        if let why = section.noPickReason { print("  \(section.task.padding(toLength: 15, withPad: " ", startingAt: 0)) no pick: \(why)") }
                    }
                    print("")
                    print("next: assay catalog best --task \(document.taskNames.first ?? "math") --json")
                }
                if summary.errors > 0 { throw ExitCode(3) }
            }
        }
    }

    /// Prices come from the simulator's pricing page, as they would from a provider's; the first
    /// source that fails stops the demo.
    static func scrapePrices(config: AssayConfig, database: AssayDatabase) async throws {
        try await PriceScraper(database: database, config: config.pricing).scrape(config.pricing.sources, force: true) { scraped in
            let (source, report) = (scraped.source, try scraped.result.get().report)
            let held = report.outcome.quarantined
            printError("demo: prices scraped from \(source.location): \(report.read.observations.count) prices, "
                + "\(report.outcome.opened.count) new or changed" + (held.isEmpty ? "" : ", \(held.count) quarantined"))
            for quarantine in held { printError("  quarantined #\(quarantine.id ?? 0): \(quarantine.message) (assay prices approve \(quarantine.id ?? 0))") }
        }
    }
}
