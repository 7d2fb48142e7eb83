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
            Exits 3 when some answers could not be graded (for example, an unparseable verdict).             With --judge-check the grades are left alone: the judge scores every stored answer of the             suites graded otherwise, with the cascade check's rubric, and each verdict is stored beside             its sample (table check_verdict) for 'assay cascade eval/plan --check judge' (docs/cascades.md);             answers this judge already scored are not asked again.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(name: .customLong("suite"), help: "Suite or task to regrade (repeatable; default: all).") var suites: [String] = []
    @Option(help: "Judge model (provider/model) for judge-graded suites, instead of 'judge' in the config.") var judge: String?
    @Flag(help: "Store the judge's verdict on every stored answer of the suites not graded by a judge (a cascade's judge check, docs/cascades.md) instead of regrading.")
    var judgeCheck = false
    @Option(help: "With --judge-check: stop asking the judge once this many USD are spent, e.g. 0.50.") var budget: DollarAmount?
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if let judge, ModelRef(judge) == nil { throw ValidationError("--judge must be provider/model, found '\(judge)'") }
        if budget != nil && !judgeCheck { throw ValidationError("--budget applies to --judge-check only (regrading calls only the judge of judge-graded suites)") }
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
            if judgeCheck {
                let summary = try await ProviderRegistry.using(config, connections: config.concurrency, logger: Pipeline.logger()) { registry in
                    try await JudgeChecker.run(config: config, database: database, providers: registry, judge: judge.flatMap(ModelRef.init),
                                               suites: chosen, limit: budget?.money)
                }
                if json { try printJSON(summary) } else { print(Self.describe(summary)) }
                if summary.errors > 0 { throw ExitCode(3) }
                return
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

    /// `judge sim/owl checked 420 stored answers (math 70, …), 12 already checked, 0 without a verdict; $0.0123`.
    static func describe(_ summary: JudgeChecker.Summary) -> String {
        let suites = summary.bySuite.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var line = "judge \(summary.judge) checked \(summary.checked) stored answers (\(suites.isEmpty ? "none new" : suites)), "
            + "\(summary.alreadyChecked) already checked, \(summary.errors) without a verdict; "
            + (summary.costNusd.map { Money(nanoUSD: $0).description } ?? "unpriced (the judge has no price)")
        if !summary.judgeGraded.isEmpty { line += "\njudge-graded, left as graded: " + summary.judgeGraded.joined(separator: ", ") }
        return line
    }
}
