import AssayCore

/// `assay suites validate --run-tests`: runs every python-tests item's reference (it must pass
/// every test) and buggy variant (it must fail at least one) through the sandbox.
package enum ReferenceRunner {
    package struct Report: Sendable {
        package var diagnostics: [Diagnostic]
        package var referencesRun = 0
        package var referencesPassed = 0
    }

    package static func check(_ suite: Suite, grading: Grading) async -> Report {
        guard case .pythonTests = suite.grader else { return Report(diagnostics: []) }
        let results = await withTaskGroup(of: (Int, [Diagnostic], Bool?).self) { group in
            for (index, item) in suite.items.enumerated() {
                group.addTask {
                    var found: [Diagnostic] = []
                    var referencePassed: Bool?
                    func problem(_ key: String, _ message: String) {
                        found.append(Diagnostic(.error, file: suite.file, keyPath: "items[\(index)].\(key)", message: message))
                    }
                    if let reference = item.reference {
                        do throws(Grading.Failure) {
                            let grade = try await grading.grade(reference, suite: suite, item: item).grade
                            referencePassed = grade.passed
                            if !grade.passed { problem("reference", "the reference fails its tests: \(grade.reason)") }
                        } catch { problem("reference", error.message) }
                    }
                    if let buggy = item.buggy {
                        do throws(Grading.Failure) {
                            if try await grading.grade(buggy, suite: suite, item: item).grade.passed {
                                problem("buggy", "the buggy variant passes every test; make a test catch it")
                            }
                        } catch { problem("buggy", error.message) }
                    }
                    return (index, found, referencePassed)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }
        }
        var report = Report(diagnostics: results.flatMap { (result: (Int, [Diagnostic], Bool?)) in result.1 })
        report.referencesRun = results.filter { (result: (Int, [Diagnostic], Bool?)) in result.2 != nil }.count
        report.referencesPassed = results.filter { (result: (Int, [Diagnostic], Bool?)) in result.2 == true }.count
        return report
    }
}
