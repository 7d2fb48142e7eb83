import AssayCore
import AssaySuites
import Foundation

/// Runs hostile answers through the real sandbox. Hostile code reports what it managed (files it
/// read, processes it started); the hidden tests, evaluated outside the answer's process, assert
/// that it managed nothing, so a passing hidden test means the sandbox held.
struct HostileFixture {
    var limits = SandboxLimits(timeoutSeconds: 20, cpuSeconds: 5, memoryMB: 256, fileMB: 1, testSeconds: 3, diskMB: 4)
    var sandbox = PythonSandbox(memoize: false)

    func run(_ code: String, tests: String) async throws -> SandboxRun {
        let names = tests.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("def test_"), let paren = line.firstIndex(of: "(") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 4)..<paren])
        }
        return try await sandbox.run(code: code, tests: tests, testNames: names, limits: limits)
    }

    /// Everything a run hands back to Assay (grade, per-test detail), as text to scan for leaks.
    static func emitted(_ run: SandboxRun) -> String {
        run.grade.reason + "\n" + run.detail.jsonText
    }

    /// A Python string literal.
    static func literal(_ text: String) -> String { String(reflecting: text) }
}
