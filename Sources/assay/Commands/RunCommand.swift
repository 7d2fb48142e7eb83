import AssayCore
import AssayHarness
import AssayStore
import AssaySuites
import ArgumentParser
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run suites × models × efforts and store every graded sample.",
        discussion: """
            Samples already stored for the same model, effort, suite content and epoch are not asked \
            again, so rerunning after an interruption only pays for what is missing. \
            Exits 3 when the run finished but some samples failed.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("suite"), help: "Suite or task to run (repeatable; default: all).") var suites: [String] = []
    @Option(name: .customLong("model"), help: "Model to run, provider/model or model (repeatable; default: all configured).") var models: [String] = []
    @Option(name: .customLong("effort"), help: "Effort to run (repeatable; default: each model's configured efforts).") var efforts: [String] = []
    @Option(help: "Requests in flight at once (default: run.concurrency in the config).") var concurrency: Int?
    @Option(help: "Times to ask each item (default: run.epochs).") var epochs: Int?
    @Option(help: "Stop sending requests once this many USD are spent, e.g. 2.50.") var budget: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        for effort in efforts where Effort(rawValue: effort) == nil {
            throw ValidationError("unknown effort '\(effort)'; use one of \(Effort.allowedValuesText)")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let budget, Money(dollars: budget) == nil { throw ValidationError("--budget must be a dollar amount such as 2.50") }
    }

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig(required: true)
            let database = try AssayDatabase(path: global.databasePath(config))
            let suites = try SuiteLoader.loadAll(directory: config.suites)
            let options = RunOptions(suites: self.suites, models: models, efforts: efforts.compactMap(Effort.init(rawValue:)),
                                     concurrency: concurrency, epochs: epochs, budget: budget.flatMap { Money(dollars: $0) })
            let summary = try await Pipeline.run(config: config, database: database, suites: suites, options: options,
                                                 logger: Pipeline.logger())
            if json { try printJSON(summary) } else { Pipeline.printSummary(summary) }
            if summary.status == "interrupted" { throw ExitCode(130) }
            if summary.errors > 0 { throw ExitCode(3) }
        }
    }
}
