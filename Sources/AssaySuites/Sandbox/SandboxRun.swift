import AssayCore

/// What one sandboxed run of an answer against its tests produced.
public struct SandboxRun: Sendable, Hashable {
    package struct TestResult: Sendable, Hashable {
        package var name: String
        package var passed: Bool
        package var error: String?
    }

    /// Per test, in the order the tests are written; tests that never ran are failed.
    package var tests: [TestResult]
    /// Why the code did not run at all (a syntax error, an exception at import), if so.
    package var loadError: String?
    /// Things the sandbox refused (writing outside its folder, a socket, a process).
    package var blocked: [String]
    /// Why the run ended early: the wall-clock limit, a signal, a crash; nil when it finished.
    package var killed: String?
    /// False when the machine could not isolate the run (no network namespace).
    package var sandboxed: Bool
    public var seconds: Double

    package var passedCount: Int { tests.filter(\.passed).count }

    /// Share of the tests that passed: kept beside the grade as a detail (`tests_passed_share`).
    package var passedShare: Double {
        guard blocked.isEmpty, loadError == nil else { return 0 }
        return Double(passedCount) / Double(max(1, tests.count))
    }

    /// The grade: pass@1, 1 when the answer passes every test and 0 otherwise (an answer that
    /// passes 3 of 5 tests does not solve the task); 0 when it tried to escape the sandbox. The
    /// share of tests passed stays in the reason and in `detail`.
    public var grade: Grade {
        let suffix = sandboxed ? "" : " (unsandboxed)"
        if let first = blocked.first {
            return .fail("blocked by the sandbox: \(first)" + suffix)
        }
        if let loadError { return .fail("the code did not run: \(loadError)" + suffix) }
        let summary = "\(passedCount) of \(tests.count) tests passed"
        if let killed { return Grade(score: 0, passed: false, reason: "\(killed); \(summary)" + suffix) }
        guard let failure = tests.first(where: { !$0.passed }) else {
            return .pass(summary + suffix)
        }
        return Grade(score: 0, passed: false, reason: "\(summary); \(failure.name): \(failure.error ?? "failed")" + suffix)
    }

    /// The per-test record stored with the sample.
    package var detail: JSONValue {
        var object: [String: JSONValue] = [
            "tests": .array(tests.map { test in
                var entry: [String: JSONValue] = ["name": .string(test.name), "passed": .bool(test.passed)]
                if let error = test.error { entry["error"] = .string(error) }
                return .object(entry)
            }),
            "sandboxed": .bool(sandboxed),
            "tests_passed_share": .number((passedShare * 10_000).rounded() / 10_000),
            "seconds": .number((seconds * 1000).rounded() / 1000),
        ]
        if !blocked.isEmpty { object["blocked"] = .array(blocked.map(JSONValue.string)) }
        if let loadError { object["load_error"] = .string(loadError) }
        if let killed { object["killed"] = .string(killed) }
        return .object(object)
    }
}
