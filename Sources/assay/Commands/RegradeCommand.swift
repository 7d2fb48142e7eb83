import AssayCore
import AssayHarness
import AssayProviders
import AssayStore
import AssaySuites
import ArgumentParser
import Foundation

struct RegradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regrade", abstract: "Grade stored answers again (new grader, new judge) without asking the models again.",
        discussion: """
            Regrades every stored response of the current suite files (or the suites and tasks named \
            with --suite). Only the judge is called; token counts and costs stay as run. \
            Exits 3 when some answers could not be graded (for example, an unparseable verdict).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(name: .customLong("suite"), help: "Suite or task to regrade (repeatable; default: all).") var suites: [String] = []
    @Option(help: "Judge model (provider/model) for judge-graded suites, instead of 'judge' in the config.") var judge: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if let judge, ModelRef(judge) == nil { throw ValidationError("--judge must be provider/model, found '\(judge)'") }
    }

    func run() async throws {
        try await reportingErrors {
            var config = try global.loadConfig(required: true)
            sandbox.apply(to: &config)
            let database = try AssayDatabase(path: global.databasePath(config))
            let all = try SuiteLoader.loadAll(directory: config.suites)
            let chosen = suites.isEmpty ? all : all.filter { suites.contains($0.name) || suites.contains($0.task) }
            if chosen.isEmpty {
                throw AssayError(.usage, "no suite or task named \(suites.joined(separator: ", "))",
                                 hint: "known suites: \(all.map(\.name).sorted().joined(separator: ", "))")
            }
            let summary = try await ProviderRegistry.using(config, connections: config.concurrency, logger: Pipeline.logger()) { registry in
                let grading = try Grading(config: config, providers: registry, judge: judge.flatMap(ModelRef.init))
                return try await Regrader(database: database, grading: grading).regrade(suites: chosen)
            }
            if json {
                try printJSON(summary)
            } else {
                let suites = summary.bySuite.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("regraded \(summary.regraded) stored answers (\(suites.isEmpty ? "none stored" : suites)), \(summary.errors) could not be graded")
            }
            if summary.errors > 0 { throw ExitCode(3) }
        }
    }
}
