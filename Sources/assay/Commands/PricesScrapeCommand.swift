import AssayCore
import AssayPricing
import AssayStore
import ArgumentParser
import Foundation

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
            var failures: [AssayError] = []
            var lines: [ScrapeLine] = []
            try await PriceScraper(database: database, config: config.pricing).scrape(chosen, force: force) { scraped in
                switch scraped.result {
                case .success(let result):
                    let line = ScrapeLine(result.report, pending: result.pending)
                    lines.append(line)
                    if !json { line.print() }
                case .failure(let error as AssayError):
                    failures.append(error)
                    printError("error: \(scraped.source.name): \(error.description)")
                case .failure(let error):
                    throw error
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
