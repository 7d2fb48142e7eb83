import AssayCore
import AssayHarness
import AssaySuites
import ArgumentParser
import Foundation

extension SuitesCommand {
    struct FromTraffic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "from-traffic",
            abstract: "Turn captured requests from the traffic log into private judge-graded suites, one per routed task.",
            discussion: """
                Reads the prompts 'assay serve' captured (serve.traffic.capture_sample_rate > 0; with postgres: in the config, \
                every replica's captures from the shared store, unless --traffic names a file), groups them by the task \
                they were routed as, and writes <out>/traffic-<task>.yaml per task: a sample in a fixed order (a stable hash \
                of --seed and the prompt), near-duplicates removed (word 3-shingles, Jaccard similarity at or above \
                --similarity), at most --per-task items. Each item's reference is the baseline model's answer: the captured \
                one when the baseline answered it, else asked of the baseline now through the configured provider. Items \
                are graded by the configured judge against that reference with a fixed rubric (docs/suite-format.md). \
                Every written file is loaded back and validated. The default folder sits inside the configured suite \
                folder, so 'assay run', 'assay nightly', the catalog and the router take these tasks like any other.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The traffic log, a SQLite file (default: the shared PostgreSQL store with postgres: in the config, else serve.traffic.database).") var traffic: String?
        @Option(help: "Folder to write the suites into (default: <suites>/private).") var out: String?
        @Option(help: "The model whose answers are the references (default: serve.baseline).") var baseline: String?
        @Option(name: .customLong("per-task"), help: "The most items a task's suite keeps.") var perTask = 40
        @Option(name: .customLong("min-items"), help: "A task with fewer distinct captured prompts gets no suite.") var minItems = 3
        @Option(help: "Shingle Jaccard similarity (0-1) at or above which a prompt counts as a near-duplicate.") var similarity = 0.7
        @Option(help: "Sampling seed (another seed picks other items when a task has more than --per-task).") var seed = "0"
        @Option(help: "Only captures from this UTC day on (YYYY-MM-DD).") var since: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if perTask < 1 { throw ValidationError("--per-task must be at least 1") }
            if minItems < 1 { throw ValidationError("--min-items must be at least 1") }
            if !(similarity > 0 && similarity <= 1) { throw ValidationError("--similarity must be in (0, 1]") }
            if let since, Self.day(since) == nil { throw ValidationError("--since '\(since)' is not a date like 2026-12-01") }
        }

        static func day(_ text: String) -> Date? {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            return formatter.date(from: text)
        }

        func run() async throws {
            try await reportingErrors {
                let config = try global.loadConfig(required: true)
                if let text = self.baseline, ModelRef(text) == nil {
                    throw AssayError(.usage, "--baseline '\(text)' is not provider/model")
                }
                guard let baseline = self.baseline.flatMap(ModelRef.init) ?? config.serve.baseline else {
                    throw AssayError(.config, "no baseline model for the references", hint: "set serve.baseline in the config or pass --baseline provider/model")
                }
                var options = TrafficSuiteBuilder.Options()
                (options.perTask, options.minItems, options.similarity, options.seed) = (perTask, minItems, similarity, seed)
                let summary = try await TrafficSuites.write(config: config, traffic: traffic,
                                                            out: out ?? (config.suites as NSString).appendingPathComponent("private"),
                                                            baseline: baseline, options: options, since: since.flatMap(Self.day),
                                                            logger: Pipeline.logger())
                for written in summary.written { _ = try SuiteLoader.load(file: written.file) }
                if json { return try printJSON(summary, encoder: snakeCaseEncoder()) }
                print("\(summary.captures) captured requests; references from \(summary.baseline)")
                for written in summary.written {
                    print("  \(written.file): \(written.items) items (of \(written.captured) captured, \(written.duplicates) near-duplicates left out; references \(written.referencesCaptured) captured, \(written.referencesAsked) asked)")
                }
                if !summary.skipped.isEmpty { print("  too few distinct prompts for a suite: \(summary.skipped.joined(separator: ", "))") }
            }
        }
    }
}
