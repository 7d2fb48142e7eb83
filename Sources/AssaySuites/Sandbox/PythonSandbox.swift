import AssayCore
import Foundation

/// Runs untrusted Python against hidden tests: `python3 -I -S runner.py` (Resources/sandbox) inside bubblewrap
/// (docs/security.md), under the kernel limits the runner sets, killed at the wall-clock limit.
/// Without bubblewrap it refuses, unless the operator accepted running answers unisolated.
public struct PythonSandbox: Sendable {
    /// nil: probe the machine on first use (`SandboxEnvironment.current`), not at start-up.
    let configuredEnvironment: SandboxEnvironment?
    public var environment: SandboxEnvironment { configuredEnvironment ?? .current }
    let limiter: AsyncLimiter
    let memo: SandboxMemo?
    /// Where each run's temporary folder is made.
    let temporaryRoot: String
    /// The operator accepts running answers without kernel isolation (`--allow-unsandboxed-code`).
    public let allowUnsandboxed: Bool

    /// One pool for the whole process: however many runs or gradings there are, at most as many
    /// sandboxes as cores run at once.
    static let sharedLimiter = AsyncLimiter(limit: ProcessInfo.processInfo.activeProcessorCount)

    /// At most `concurrency` sandboxes of this value at once (default: the process-wide pool of
    /// one per core). With `memoize`, identical code against identical tests runs once.
    /// `allowUnsandboxed` (or `ASSAY_SANDBOX=none`) lets answers run where bubblewrap is not usable.
    public init(environment: SandboxEnvironment? = nil, concurrency: Int? = nil, memoize: Bool = true,
                temporaryRoot: String = NSTemporaryDirectory(), allowUnsandboxed: Bool = false) {
        self.configuredEnvironment = environment
        self.allowUnsandboxed = allowUnsandboxed
        self.temporaryRoot = temporaryRoot
        self.limiter = concurrency.map { AsyncLimiter(limit: $0) } ?? Self.sharedLimiter
        self.memo = memoize ? SandboxMemo() : nil
    }

    /// The folder of the runner's Python files (runner.py, answer.py, wire.py).
    static var runnerFolder: String? { Bundle.module.url(forResource: "sandbox", withExtension: nil)?.path }

    /// Throws the refusal when bubblewrap cannot isolate answers here and the operator did not
    /// accept running them without it.
    package func checkIsolation() throws {
        let environment = self.environment
        guard environment.isSandboxed || allowUnsandboxed || environment.unsandboxedAccepted else {
            throw SandboxEnvironment.refusal
        }
    }

    /// The interpreter, when answers can run here (see `checkIsolation`).
    func checkReady() throws -> String {
        guard let python = environment.python else {
            throw AssayError(.config, "python-tests needs python3, which was not found",
                             hint: "install python3 or set ASSAY_PYTHON to an interpreter")
        }
        try checkIsolation()
        return python
    }

    /// Runs `code`, then each `test_…` function of `tests` named in `testNames`.
    public func run(code: String, tests: String, testNames: [String], limits: SandboxLimits) async throws -> SandboxRun {
        let python = try checkReady()
        guard let runner = Self.runnerFolder else {
            throw AssayError(.io, "the sandbox runner (Resources/sandbox) is missing from the installation")
        }
        guard let memo else { return try await execute(python: python, runner: runner, code: code, tests: tests, testNames: testNames, limits: limits) }
        let key = SandboxMemo.key(code: code, tests: tests, testNames: testNames, limits: limits)
        return try await memo.run(key: key) {
            try await execute(python: python, runner: runner, code: code, tests: tests, testNames: testNames, limits: limits)
        }
    }

    func execute(python: String, runner: String, code: String, tests: String, testNames: [String], limits: SandboxLimits) async throws -> SandboxRun {
        try await limiter.run {
            let directory = (temporaryRoot as NSString).appendingPathComponent("assay-sandbox-\(UUID().uuidString)")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let environment = self.environment
            let input = try Self.requestInput(Self.request(code: code, tests: tests, testNames: testNames, limits: limits),
                                              directory: directory)
            defer { try? input.close() }
            let command: [String]
            switch environment.isolation {
            case .bubblewrap(let bubblewrap): command = bubblewrap.command(python: python, runnerFolder: runner, diskMB: limits.diskMB)
            case .none: command = [python] + Self.pythonFlags + [runner + "/runner.py"]
            }
            let outcome = try await ChildProcess.run(
                executable: command[0], arguments: Array(command.dropFirst()), directory: directory,
                environment: Self.childEnvironment, input: input, wallSeconds: limits.timeoutSeconds)
            return Self.parse(outcome, testNames: testNames, limits: limits, sandboxed: environment.isSandboxed)
        }
    }

    static func parse(_ outcome: ChildProcess.Outcome, testNames: [String], limits: SandboxLimits, sandboxed: Bool) -> SandboxRun {
        var results: [String: SandboxRun.TestResult] = [:]
        var loadError: String?
        var blocked: [String] = []
        var done = false
        for line in String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n") {
            guard let event = JSONValue(parsing: String(line))?.objectValue else { continue }
            switch event["event"]?.stringValue {
            case "test":
                guard let name = event["name"]?.stringValue, testNames.contains(name), results[name] == nil else { continue }
                results[name] = .init(name: name, passed: event["ok"] == .bool(true), error: event["error"]?.stringValue)
            case "load": loadError = loadError ?? event["error"]?.stringValue ?? "failed to load"
            case "blocked": if let what = event["what"]?.stringValue, !blocked.contains(what) { blocked.append(what) }
            case "done": done = true
            default: continue
            }
        }
        var killed: String?
        if outcome.timedOut {
            killed = "killed at the wall-clock limit of \(limits.timeoutSeconds.secondsText) s"
        } else if !done {
            killed = outcome.signalled && (outcome.status == SIGXCPU || outcome.status == SIGKILL)
                ? "stopped at the CPU limit of \(limits.cpuSeconds) s"
                : "the sandbox ended before finishing (\(outcome.signalled ? "signal" : "exit status") \(outcome.status))"
        }
        let tests = testNames.map { results[$0] ?? .init(name: $0, passed: false, error: loadError == nil ? "did not run" : "the code did not load") }
        return SandboxRun(tests: tests, loadError: loadError, blocked: blocked, killed: killed, sandboxed: sandboxed,
                          seconds: outcome.seconds)
    }
}

extension Double {
    var secondsText: String { self == rounded() ? String(Int(self)) : String(self) }
}
