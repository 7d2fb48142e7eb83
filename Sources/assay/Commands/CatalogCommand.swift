import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssayStore
import ArgumentParser
import Foundation

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Build the quality-per-dollar catalog and ask it questions.",
        subcommands: [Build.self, Best.self, Show.self, Frontier.self, Diff.self, Tasks.self])

    /// Where the catalog lives: --catalog, else the config's folder.
    struct Location: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Option(help: "Catalog folder (default: 'catalog' in the config).") var catalog: String?

        func directory() throws -> String { try catalog ?? global.loadConfig().catalog }
        func jsonPath() throws -> String { (try directory() as NSString).appendingPathComponent("catalog.json") }
    }

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild catalog.json and CATALOG.md from the stored samples.")
        @OptionGroup var location: Location
        @Option(help: "Quality margin for picks, as a fraction (default: catalog_options.margin, 0.02).") var margin: Double?
        @Option(help: "Floor under every pick: the lower bound of an entry's 95% quality interval must reach it (a fraction; default: catalog_options.min_quality, 0.3).")
        var minQuality: Double?
        @Flag(help: "Print a JSON summary.") var json = false

        func validate() throws {
            if let minQuality, !(0...1).contains(minQuality) { throw ValidationError("--min-quality is a fraction between 0 and 1") }
        }

        func run() async throws {
            try await reportingErrors {
                let config = try location.global.loadConfig()
                let database = try AssayDatabase(path: location.global.databasePath(config))
                var publisher = CatalogPublisher(database: database, directory: try location.directory(),
                                                 margin: margin ?? config.margin, suitesDirectory: config.suites)
                publisher.minQuality = minQuality ?? config.minQuality
                let published = try publisher.publish()
                let (document, written) = (published.document, published.written)
                if json {
                    struct Summary: Encodable { var catalog, markdown, sha256: String; var tasks: [String] }
                    try printJSON(Summary(catalog: written.jsonPath, markdown: written.markdownPath, sha256: written.sha256,
                                          tasks: document.taskNames))
                } else {
                    print("wrote \(written.jsonPath) and \(written.markdownPath): \(document.tasks.count) task\(document.tasks.count == 1 ? "" : "s"), sha256 \(written.sha256.prefix(16))")
                }
            }
        }
    }

    struct Best: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The cheapest model+effort shown non-inferior to the best for a task (or another objective).",
            discussion: """
                Default: the cheapest entry whose paired comparison with the task's best entry shows it \
                non-inferior at the catalog's margin (set by 'catalog build --margin'). --min-quality \
                replaces that test by a quality floor; --max-cost caps the cost per task (USD); \
                --objective best takes the highest quality, --objective utility maximises \
                quality − λ × cost per task in dollars. Every objective keeps the catalog's quality floor \
                (min_quality: the lower bound of an entry's 95% interval must reach it). Exits 66 when \
                the task is unknown (listing the known ones) or no entry meets the constraints, and 65 \
                when the task has no pick because no entry is shown to clear the floor.
                """)
        @OptionGroup var location: Location
        @Option(help: "Task kind, e.g. math.") var task: String
        @Option(help: "Only entries with at least this quality (a fraction, e.g. 0.9).") var minQuality: Double?
        @Option(help: "Only entries costing at most this many USD per task, e.g. 0.002.") var maxCost: DollarAmount?
        @Option(help: "cheapest (default), best or utility.") var objective = Objective.cheapest
        @Option(help: "λ for --objective utility: quality (a fraction, 1 = 100%) given up per dollar of cost per task.") var lambda: Double?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            _ = try objective.with(lambda: lambda)
            if let minQuality, !(0...1).contains(minQuality) { throw ValidationError("--min-quality is a fraction between 0 and 1") }
        }

        func run() async throws {
            try await reportingErrors {
                let document = try CatalogDocument.read(path: try location.jsonPath())
                let answer = try CatalogQuery.best(
                    in: document, task: task, objective: try objective.with(lambda: lambda),
                    constraints: .init(minQuality: minQuality, maxCostNusd: maxCost?.money.nanoUSD))
                if json {
                    try printJSON(answer, encoder: CatalogDocument.encoder())
                    return
                }
                let ci = answer.qualityCi.map { " (95% CI \(Format.percent($0[0]))–\(Format.percent($0[1])))" } ?? ""
                print("\(answer.task): \(answer.model) @ \(answer.effort)")
                print("  quality      \(Format.percent(answer.quality))\(ci), n=\(answer.n)\(answer.verdict.map { ", \($0)" } ?? "")")
                print("  cost/task    \(answer.costPerTaskUsd)")
                if let solved = answer.costPerSolvedNusd { print("  cost/solved  \(Money(nanoUSD: solved))") }
                print("  why          \(answer.reason)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the catalog (one task or all) as a table.")
        @OptionGroup var location: Location
        @Option(help: "Only this task.") var task: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                var document = try CatalogDocument.read(path: try location.jsonPath())
                if let task {
                    guard let section = document.section(task) else {
                        throw AssayError(.notFound, "unknown task '\(task)'", hint: "known tasks: \(document.taskNames.joined(separator: ", "))")
                    }
                    document.tasks = [section]
                }
                if json { try printJSON(document, encoder: CatalogDocument.encoder()) } else { print(CatalogMarkdown.render(document)) }
            }
        }
    }

    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the catalog's tasks with their picks.")
        @OptionGroup var location: Location
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let document = try CatalogDocument.read(path: try location.jsonPath())
                if json {
                    struct Row: Encodable { var task: String; var items: Int; var entries: Int; var pick: String? }
                    try printJSON(document.tasks.map { Row(task: $0.task, items: $0.items, entries: $0.entries.count,
                                                           pick: $0.pick?.name) })
                    return
                }
                for section in document.tasks {
                    let pick = section.pick.map { "\($0.model) @ \($0.effort)" } ?? "—"
                    print("\(section.task.padding(toLength: 16, withPad: " ", startingAt: 0)) \(section.items) items, \(section.entries.count) entries, pick \(pick)")
                }
            }
        }
    }
}
