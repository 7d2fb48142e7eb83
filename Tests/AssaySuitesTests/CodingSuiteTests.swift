import AssaySuites
import AssayTestSupport
import Testing

@Suite("shipped code suites", .enabled(if: SandboxEnvironment.current.canRunAnswers, "needs python3, and bubblewrap or ASSAY_SANDBOX=none"))
struct CodingSuiteTests {
    @Test("every python-tests item: the reference passes every hidden test, the buggy variant fails at least one")
    func referencesAndBugs() async throws {
        // The suites' own tests, with a wall-clock limit of 60 s instead of the shipped 15 s: this
        // checks the references and the bugs, not speed, and 122 sandboxes share two cores with the
        // rest of the test run (a CI run killed a passing reference at 15 s).
        let suites = try Fixtures.shippedSuites().compactMap { suite -> Suite? in
            guard case .pythonTests(var limits) = suite.grader else { return nil }
            limits.timeoutSeconds = max(limits.timeoutSeconds, 60)
            var relaxed = suite
            relaxed.grader = .pythonTests(limits: limits)
            return relaxed
        }
        #expect(suites.reduce(0) { $0 + $1.items.count } >= 60)
        let grading = Grading()
        try await withThrowingTaskGroup(of: String?.self) { group in
            for suite in suites {
                for item in suite.items {
                    group.addTask {
                        let reference = try await grading.grade(try #require(item.reference), suite: suite, item: item).grade
                        let buggy = try await grading.grade(try #require(item.buggy), suite: suite, item: item).grade
                        if !reference.passed { return "\(suite.name)/\(item.id) reference fails: \(reference.reason)" }
                        if buggy.passed { return "\(suite.name)/\(item.id) buggy variant passes" }
                        return nil
                    }
                }
            }
            for try await problem in group { if let problem { Issue.record(Comment(rawValue: problem)) } }
        }
    }

    @Test("coding items spread over all five difficulty levels, each with 3 to 6 hidden tests")
    func shape() throws {
        for suite in try Fixtures.shippedSuites() where suite.task == "coding" {
            if case .pythonTests = suite.grader {
                #expect(Set(suite.items.compactMap(\.difficulty)) == [1, 2, 3, 4, 5], "\(suite.name)")
                for item in suite.items { #expect((3...6).contains(item.testNames.count), "\(item.id): \(item.testNames)") }
            }
        }
    }
}
