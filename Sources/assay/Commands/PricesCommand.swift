import AssayCore
import AssayPricing
import AssayStore
import ArgumentParser
import Foundation

struct PricesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Scrape providers' prices, keep their history, and hold back suspicious changes.",
        discussion: """
            Sources are declared under 'pricing:' in assay.yaml (docs/pricing.md). A page that no \
            longer matches its extractor, a price moving more than max_change_factor (default 5×), \
            or a model gone from its page is quarantined: not applied until 'assay prices approve'.
            """,
        subcommands: [PricesScrape.self, PricesShow.self, PricesHistory.self, PricesConflicts.self, PricesApprove.self])
}

struct PricesScrape: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrape", abstract: "Fetch every pricing source (or those named) and record what changed.",
        discussion: """
            Unchanged pages cost one conditional request (ETag / Last-Modified). Exit codes: 0 all \
            applied; 3 something is quarantined (listed, with the 'approve' command to apply it); \
            69 a source could not be fetched; 78 bad config.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("source"), help: "Scrape only this source (repeatable).") var sources: [String] = []
    @Flag(help: "Ignore stored ETag / Last-Modified and re-read every page.") var force = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig(required: true)
            let chosen = try PricingCommandSupport.sources(config.pricing, named: sources)
            let database = try AssayDatabase(path: global.databasePath(config))
            let scraper = PriceScraper(database: database, config: config.pricing)
            var failures: [AssayError] = []
            var lines: [ScrapeLine] = []
            for source in chosen {
                do {
                    let report = try await scraper.scrape(source, force: force)
                    let line = ScrapeLine(report, pending: try database.pendingQuarantines(source: source.name))
                    lines.append(line)
                    if !json { line.print() }
                } catch let error as AssayError {
                    failures.append(error)
                    printError("error: \(source.name): \(error.description)")
                }
            }
            if json { try printJSON(lines, encoder: PricingCommandSupport.encoder) }
            if !failures.isEmpty { throw ExitCode(failures[0].exitCode) }
            if lines.contains(where: { !$0.pending.isEmpty }) { throw ExitCode(3) }
        }
    }

    struct ScrapeLine: Encodable {
        var source: String
        var location: String
        var unchangedContent: Bool
        var entries: Int
        var imported: Int
        var rejected: Int
        var pricesRead: Int
        var pricesOpened: Int
        var unchangedModels: Int
        var skipped: [String: Int]
        var warnings: [String]
        var pending: [PriceQuarantineRecord]
        var seconds: Double

        init(_ report: PriceScraper.Report, pending: [PriceQuarantineRecord]) {
            source = report.source
            location = report.location
            unchangedContent = report.unchangedContent
            entries = report.read.entries
            imported = report.read.imported
            rejected = report.read.rejected
            pricesRead = report.read.observations.count
            pricesOpened = report.outcome.opened.count
            unchangedModels = report.outcome.unchangedModels
            skipped = report.read.skipped
            warnings = report.read.warnings
            self.pending = pending
            seconds = report.elapsedSeconds
        }

        func print() {
            if unchangedContent {
                Swift.print("\(source): unchanged since the last scrape (\(location))")
            } else {
                let skippedText = skipped.isEmpty ? "" : "; not imported: " + skipped.sorted { $0.key < $1.key }
                    .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                let counts = imported + rejected > 0 ? " (\(imported) imported, \(rejected) rejected)" : ""
                Swift.print("\(source): \(entries) entries\(counts), \(pricesRead) prices read, \(pricesOpened) new or changed, "
                    + "\(unchangedModels) models unchanged\(skippedText) (\(Money.fixed(seconds, digits: 2)) s)")
            }
            for warning in warnings.prefix(20) { printError("warning: \(warning)") }
            if warnings.count > 20 { printError("warning: … and \(warnings.count - 20) more (see --json)") }
            for quarantine in pending {
                printError("quarantined #\(quarantine.id ?? 0) [\(quarantine.kind)] \(quarantine.message)")
                printError("  not applied; to apply: assay prices approve \(quarantine.id ?? 0)")
            }
        }
    }
}

struct PricesShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The prices in force, per model and source, and what awaits approval.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A model (provider/model, or the model part alone).") var model: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let database = try AssayDatabase(path: global.databasePath(config))
            var rows = try database.openPrices()
            var pending = try database.pendingQuarantines()
            if let model {
                // provider/model exactly when it is known, else the model part under any provider
                let exact = rows.filter { "\($0.provider)/\($0.model)" == model }
                rows = exact.isEmpty ? rows.filter { $0.model == model } : exact
                let held = pending.filter { "\($0.provider ?? "")/\($0.model ?? "")" == model }
                pending = held.isEmpty ? pending.filter { $0.model == model } : held
            }
            if json {
                struct Output: Encodable { var prices: [PriceRecord]; var quarantined: [PriceQuarantineRecord] }
                try printJSON(Output(prices: rows, quarantined: pending), encoder: PricingCommandSupport.encoder)
                return
            }
            if rows.isEmpty, let model { throw AssayError(.notFound, "no price in force for '\(model)'", hint: "'assay prices show' lists every model") }
            PricingCommandSupport.printTable(rows, closed: false)
            for quarantine in pending { print("quarantined #\(quarantine.id ?? 0) [\(quarantine.kind)] \(quarantine.message)") }
        }
    }
}

struct PricesHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Every price ever recorded for a model, oldest first, and its quarantines.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A model (provider/model, or the model part alone).") var model: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let history = try AssayDatabase(path: global.databasePath(config)).priceHistory(model: model)
            if json {
                struct Output: Encodable { var prices: [PriceRecord]; var quarantines: [PriceQuarantineRecord] }
                try printJSON(Output(prices: history.prices, quarantines: history.quarantines), encoder: PricingCommandSupport.encoder)
                return
            }
            guard !history.prices.isEmpty || !history.quarantines.isEmpty else {
                throw AssayError(.notFound, "no price was ever recorded for '\(model)'", hint: "'assay prices show' lists every model")
            }
            PricingCommandSupport.printTable(history.prices, closed: true)
            for quarantine in history.quarantines {
                print("quarantine #\(quarantine.id ?? 0) \(quarantine.status) [\(quarantine.kind)] \(PricingCommandSupport.date(quarantine.fetchedAt)): \(quarantine.message)")
            }
        }
    }
}

struct PricesConflicts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Models whose sources disagree about the price in force.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let conflicts = PriceConflicts.find(in: try AssayDatabase(path: global.databasePath(config)).openPrices())
            if json {
                try printJSON(conflicts, encoder: PricingCommandSupport.encoder)
                return
            }
            if conflicts.isEmpty { print("no conflicts: every model priced by several sources has the same price in each") }
            for conflict in conflicts {
                let tier = conflict.tier.isEmpty ? "" : " \(conflict.tier)"
                print("\(conflict.model) \(conflict.dimension)\(tier): " + conflict.prices.map { "\($0.source) \($0.price)" }.joined(separator: " vs "))
            }
        }
    }
}

struct PricesApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Apply quarantined prices (by id, by source, or all).",
        discussion: "A price jump is recorded; a vanished model's prices from that source are closed; a layout problem is acknowledged (fix the extractor, then scrape again).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Quarantine ids, as 'assay prices scrape' and 'show' list them.") var ids: [Int64] = []
    @Option(help: "Approve everything pending from this source.") var source: String?
    @Flag(help: "Approve everything pending.") var all = false

    func validate() throws {
        if ids.isEmpty && source == nil && !all { throw ValidationError("name quarantine ids, --source NAME, or --all") }
    }

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let database = try AssayDatabase(path: global.databasePath(config))
            var chosen = ids
            if all || source != nil { chosen += try database.pendingQuarantines(source: source).compactMap(\.id) }
            if chosen.isEmpty { print("nothing is awaiting approval") }
            for id in chosen {
                let record = try database.approveQuarantine(id: id)
                print("approved #\(id) [\(record.kind)] \(record.message)")
            }
        }
    }
}
