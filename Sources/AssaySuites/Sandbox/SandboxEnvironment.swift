import AssayCore
import Foundation

/// What this machine offers the python-tests sandbox, probed once: the Python interpreter, and
/// the kernel isolation (bubblewrap) each run gets, if any.
public struct SandboxEnvironment: Sendable, Hashable {
    public enum Isolation: Sendable, Hashable {
        case bubblewrap(Bubblewrap)
        /// No kernel isolation: only rlimits and the audit hook. Runs refuse unless the operator opted in.
        case none
    }

    /// Absolute path of the interpreter (nil when python3 is not installed).
    public var python: String?
    public var isolation: Isolation
    /// `ASSAY_SANDBOX=none`: the operator accepts running model-written code without kernel isolation.
    public var unsandboxedAccepted: Bool
    public var isSandboxed: Bool { isolation != .none }
    /// Whether a default `PythonSandbox` runs answers here rather than refusing.
    package var canRunAnswers: Bool { python != nil && (isSandboxed || unsandboxedAccepted) }

    public init(python: String?, isolation: Isolation, unsandboxedAccepted: Bool = false) {
        self.python = python
        self.isolation = isolation
        self.unsandboxedAccepted = unsandboxedAccepted
    }

    /// The probe result for this process (`ASSAY_PYTHON` overrides the interpreter;
    /// `ASSAY_SANDBOX=none` skips bubblewrap and accepts running answers without it).
    public static let current: SandboxEnvironment = probe()

    static func probe() -> SandboxEnvironment {
        let environment = ProcessInfo.processInfo.environment
        let accepted = environment["ASSAY_SANDBOX"] == "none"
        let candidate = environment["ASSAY_PYTHON"] ?? "python3"
        guard let python = output(of: ["/usr/bin/env", candidate, "-I", "-c", "import os, sys; print(os.path.realpath(sys.executable))"])?
            .trimmingCharacters(in: .whitespacesAndNewlines), !python.isEmpty else {
            return SandboxEnvironment(python: nil, isolation: .none, unsandboxedAccepted: accepted)
        }
        guard !accepted, let bubblewrap = Bubblewrap.probe(python: python) else {
            return SandboxEnvironment(python: python, isolation: .none, unsandboxedAccepted: accepted)
        }
        return SandboxEnvironment(python: python, isolation: .bubblewrap(bubblewrap))
    }

    /// The refusal when this machine cannot isolate model-written code and nobody accepted that.
    static let refusal = AssayError(
        .config, "python-tests will not run model-written code without kernel isolation, and bubblewrap (bwrap) is not usable here",
        hint: "install bubblewrap (apt-get install bubblewrap; an ordinary user also needs unprivileged user namespaces), "
            + "or accept running answers unisolated with --allow-unsandboxed-code or ASSAY_SANDBOX=none (docs/security.md)")

    static func output(of command: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
