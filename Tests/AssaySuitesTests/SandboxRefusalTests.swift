import AssayCore
import AssaySuites
import Testing

/// Without kernel isolation the sandbox refuses to run model-written code, unless the operator
/// opted in (`--allow-unsandboxed-code`, `ASSAY_SANDBOX=none`).
@Suite("python-tests refuses to run unisolated", .enabled(if: SandboxEnvironment.current.python != nil, "needs python3"))
struct SandboxRefusalTests {
    let unisolated = SandboxEnvironment(python: SandboxEnvironment.current.python, isolation: .none)
    let limits = SandboxLimits(timeoutSeconds: 6, cpuSeconds: 3, memoryMB: 256, fileMB: 1, testSeconds: 1.5)

    @Test("no bubblewrap and no opt-in: a config error with a hint, and nothing runs")
    func refuses() async throws {
        let sandbox = PythonSandbox(environment: unisolated, memoize: false)
        let error = await #expect(throws: AssayError.self) {
            try await sandbox.run(code: "def add(a, b):\n    return a + b\n", tests: "def test_a(): assert add(1, 2) == 3\n",
                                  testNames: ["test_a"], limits: limits)
        }
        #expect(error?.code == .config)
        #expect(error?.message == "python-tests will not run model-written code without kernel isolation, and bubblewrap (bwrap) is not usable here")
        #expect(error?.hint?.contains("--allow-unsandboxed-code or ASSAY_SANDBOX=none") == true)
        #expect(throws: AssayError.self) { try sandbox.checkIsolation() }
    }

    @Test("the operator's opt-in runs the answer, and the grade says it was unsandboxed", arguments: [true, false])
    func optIn(_ byFlag: Bool) async throws {
        var environment = unisolated
        environment.unsandboxedAccepted = !byFlag
        let sandbox = PythonSandbox(environment: environment, memoize: false, allowUnsandboxed: byFlag)
        let code = "def add(a, b):\n    open('scratch.txt', 'w').write('ok')\n    return a + b\n"
        let run = try await sandbox.run(code: code, tests: "def test_a(): assert add(1, 2) == 3\n", testNames: ["test_a"], limits: limits)
        #expect(run.grade.passed, "\(run.grade.reason)")
        #expect(!run.sandboxed)
        #expect(run.grade.reason.hasSuffix("(unsandboxed)"))
    }

    @Test("grading refuses before any request when a python-tests suite is selected, not for other suites")
    func gradingRefusesUpFront() throws {
        let grading = Grading(sandbox: PythonSandbox(environment: unisolated))
        let code = Suite(name: "c", task: "coding", version: 1, grader: .pythonTests(limits: limits), items: [])
        let exact = Suite(name: "e", task: "math", version: 1, grader: .exact(caseSensitive: false), items: [])
        #expect(throws: AssayError.self) { try grading.checkReady(for: [exact, code]) }
        try grading.checkReady(for: [exact])
    }
}
