import Foundation

/// What this machine offers the python-tests sandbox, probed once: the Python interpreter, and
/// whether `unshare` can give each run its own network namespace.
public struct SandboxEnvironment: Sendable, Hashable {
    /// Absolute path of the interpreter (nil when python3 is not installed).
    public var python: String?
    /// The command prefix that isolates a run (`unshare …`), empty when isolation is unavailable.
    public var isolation: [String]
    public var isSandboxed: Bool { !isolation.isEmpty }

    public init(python: String?, isolation: [String]) {
        self.python = python
        self.isolation = isolation
    }

    /// The probe result for this process (`ASSAY_PYTHON` overrides the interpreter;
    /// `ASSAY_SANDBOX=none` turns isolation off, for machines where unshare misbehaves).
    public static let current: SandboxEnvironment = probe()

    static func probe() -> SandboxEnvironment {
        let environment = ProcessInfo.processInfo.environment
        let candidate = environment["ASSAY_PYTHON"] ?? "python3"
        guard let python = run(["/usr/bin/env", candidate, "-I", "-c", "import sys; print(sys.executable)"])?
            .trimmingCharacters(in: .whitespacesAndNewlines), !python.isEmpty else {
            return SandboxEnvironment(python: nil, isolation: [])
        }
        guard environment["ASSAY_SANDBOX"] != "none", let unshare = ["/usr/bin/unshare", "/bin/unshare"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return SandboxEnvironment(python: python, isolation: [])
        }
        // Root can make namespaces directly (and the sandbox then drops to nobody); anyone else
        // needs a user namespace too. unshare execs the interpreter itself (no --fork and so no
        // PID namespace): util-linux 2.38's forking unshare turns a child killed by a signal
        // (SIGXCPU at the CPU limit) into exit status 1, hiding why the run ended. Child
        // processes are already impossible (RLIMIT_NPROC 0 and the audit hook).
        var isolation = [unshare, "--net"]
        if geteuid() != 0 { isolation.append("--map-root-user") }
        guard run(isolation + [python, "-I", "-c", "print('ok')"]) == "ok\n" else {
            return SandboxEnvironment(python: python, isolation: [])
        }
        return SandboxEnvironment(python: python, isolation: isolation)
    }

    private static func run(_ command: [String]) -> String? {
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
