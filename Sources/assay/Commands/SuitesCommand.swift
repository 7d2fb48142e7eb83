import AssayCore
import AssayHarness
import AssaySuites
import ArgumentParser
import Foundation

struct SuitesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suites", abstract: "List suites and check them for problems.",
        subcommands: [List.self, Validate.self, Import.self, FromTraffic.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the suites with their task, version and item count.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Suite folder (default: 'suites' in the config).") var suites: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let directory = try suites ?? global.loadConfig().suites
                let loaded = try SuiteLoader.loadAll(directory: directory)
                if json {
                    struct Row: Encodable { var suite, task: String; var version, items: Int; var file, sha256: String }
                    try printJSON(loaded.map { Row(suite: $0.name, task: $0.task, version: $0.version, items: $0.items.count,
                                                   file: $0.file, sha256: $0.contentSHA256) })
                    return
                }
                for suite in loaded {
                    let difficulties = Dictionary(grouping: suite.items.compactMap(\.difficulty), by: { $0 }).mapValues(\.count)
                    let spread = (1...5).map { "d\($0):\(difficulties[$0] ?? 0)" }.joined(separator: " ")
                    print("\(suite.name.padding(toLength: 28, withPad: " ", startingAt: 0)) task \(suite.task.padding(toLength: 15, withPad: " ", startingAt: 0)) v\(suite.version)  \(suite.items.count) items  \(suite.grader.typeName)  \(spread)")
                }
            }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check suite files; report every problem with file:line and key path.",
            discussion: "Exits 0 when every file is valid, 65 when any has an error (or a warning with --strict).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Suite files or folders (default: the configured suite folder).") var paths: [String] = []
        @Flag(help: "Treat warnings as errors.") var strict = false
        @Flag(help: "Print JSON diagnostics.") var json = false
        @Flag(name: .customLong("run-tests"), help: "Run python-tests references (must pass) and buggy variants (must fail) in the sandbox.")
        var runTests = false
        @OptionGroup var sandbox: SandboxOptions

        func run() async throws {
            try await reportingErrors {
                let targets = try paths.isEmpty ? [global.loadConfig().suites] : paths
                var files: [String] = []
                for target in targets { files += try SuiteLoader.suiteFiles(in: target) }
                var diagnostics: [Diagnostic] = []
                var valid = 0
                var names: [String: String] = [:]
                let grading = Grading(sandbox: PythonSandbox(allowUnsandboxed: sandbox.allowUnsandboxedCode))
                if runTests { try grading.sandbox.checkIsolation() }
                for file in files {
                    let (suite, found) = SuiteLoader.check(file: file)
                    diagnostics += found
                    guard let suite else { continue }
                    if let other = names[suite.name] {
                        diagnostics.append(Diagnostic(.error, file: file, line: 1, keyPath: "suite",
                                                      message: "suite name '\(suite.name)' is also used by \(other)"))
                        continue
                    }
                    names[suite.name] = file
                    var problems = found
                    if runTests {
                        let report = await ReferenceRunner.check(suite, grading: grading)
                        diagnostics += report.diagnostics
                        problems += report.diagnostics
                        if report.referencesRun > 0 && !json {
                            print("\(file): \(report.referencesPassed) of \(report.referencesRun) references pass their tests")
                        }
                    }
                    if !problems.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) { valid += 1 }
                }
                let failed = valid < files.count
                if json {
                    struct Report: Encodable { var files: Int; var valid: Int; var diagnostics: [Diagnostic] }
                    try printJSON(Report(files: files.count, valid: valid, diagnostics: diagnostics))
                } else {
                    for diagnostic in diagnostics { print(diagnostic.description) }
                    print("\(valid) of \(files.count) suite file\(files.count == 1 ? "" : "s") valid")
                }
                if failed { throw ExitCode(65) }
            }
        }
    }
}
