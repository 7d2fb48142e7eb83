import AssayCore
import AssayHarness
import AssayPostgres
import AssayTraffic
import ArgumentParser
import Foundation

/// `assay report`: what `assay serve` spent, what the baseline model would have cost, and what
/// that saved, from the traffic log.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Spend, baseline spend and savings of the traffic assay serve routed.",
        discussion: """
            Reads the traffic log (serve.traffic.database, default results/traffic.sqlite; with postgres: in the config, \
            the shared store every replica writes to, unless --traffic names a file) over a period of UTC days \
            (default: the last 30) and prints spend, the baseline model's spend on the same requests, savings (absolute \
            and %), requests, tokens, error and fallback rates, latency percentiles and the decision mix, grouped by \
            day, key, task, model or endpoint. --json for scripts; --html FILE writes a self-contained page with a chart \
            of spend against the baseline per day (docs/server.md#traffic-log).
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The traffic log (default: serve.traffic.database in the config).") var traffic: String?
    @Option(help: "First UTC day, YYYY-MM-DD (default: 29 days before --until).") var since: String?
    @Option(help: "Last UTC day, YYYY-MM-DD (default: today).") var until: String?
    @Option(help: "Group by: day, key, task, model or endpoint.") var by: TrafficReport.Dimension = .day
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Also write a self-contained HTML page to this file.") var html: String?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] where value.map({ TrafficDatabase.day($0) == nil }) == true {
            throw ValidationError("\(name) must be a date as YYYY-MM-DD")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig(required: false)
            let today = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
            let last = until.flatMap(TrafficDatabase.day) ?? today
            let first = since.flatMap(TrafficDatabase.day) ?? last - 29
            let report: TrafficReport
            if traffic == nil, let postgres = config.postgres {
                // Every replica's traffic, from the shared store.
                report = try await PostgresStore.withOpened(postgres, logger: Pipeline.logger()) { store in
                    let shared = PostgresTrafficStore(store: store)
                    try await shared.migrate()
                    return try await shared.report(from: first, to: last, by: by)
                }
            } else {
                let path = traffic ?? config.serve.traffic.database
                guard FileManager.default.fileExists(atPath: path) else {
                    throw AssayError(.notFound, "no traffic log at \(path)", hint: "run 'assay serve' (it records every request there), or pass --traffic PATH")
                }
                report = try TrafficDatabase(path: path).report(from: first, to: last, by: by)
            }
            if let html {
                try Data(TrafficReportHTML.render(report).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            }
            if json { return try printJSON(report, encoder: TrafficReport.encoder()) }
            print(TrafficReportText.render(report))
        }
    }
}

extension TrafficReport.Dimension: ExpressibleByArgument {}
