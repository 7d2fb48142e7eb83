@testable import AssaySuites
import Foundation
import Testing

/// The sandbox started by an ordinary user (root drops to nobody with setpriv first): bubblewrap
/// then uses a user namespace, and the judge and the answer share one uid, so the answer must
/// still not reach the judge (/proc/<judge>/mem, fd, environ) nor forge, fork or write outside.
@Suite("the sandbox as an ordinary user", .enabled(if: OrdinaryUser.launcher != nil, "needs root, setpriv, bubblewrap and /usr/bin/python3"))
struct NonRootSandboxTests {
    func run(_ code: String, tests: String, testNames: [String]) async throws -> SandboxRun {
        var bubblewrap = try #require(Bubblewrap.probe(python: OrdinaryUser.python))
        bubblewrap.asRoot = false
        let folder = NSTemporaryDirectory() + "assay-nonroot-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A copy the user nobody can read (the build folder may not be readable to it).
        let runner = folder + "/sandbox"
        try FileManager.default.copyItem(atPath: try #require(PythonSandbox.runnerFolder), toPath: runner)
        for path in try [runner] + FileManager.default.contentsOfDirectory(atPath: runner).map({ runner + "/" + $0 }) {
            try FileManager.default.setAttributes([.posixPermissions: path == runner ? 0o755 : 0o644], ofItemAtPath: path)
        }
        let limits = SandboxLimits(timeoutSeconds: 15, cpuSeconds: 3, memoryMB: 256, fileMB: 1, testSeconds: 3, diskMB: 4)
        let input = try PythonSandbox.requestInput(PythonSandbox.request(code: code, tests: tests, testNames: testNames, limits: limits),
                                                   directory: folder)
        defer { try? input.close() }
        let command = try #require(OrdinaryUser.launcher) + bubblewrap.command(python: OrdinaryUser.python, runnerFolder: runner, diskMB: limits.diskMB)
        let outcome = try await ChildProcess.run(executable: command[0], arguments: Array(command.dropFirst()), directory: folder,
                                                 environment: PythonSandbox.childEnvironment, input: input, wallSeconds: limits.timeoutSeconds)
        return PythonSandbox.parse(outcome, testNames: testNames, limits: limits, sandboxed: true)
    }

    @Test("the answer, same uid as the judge, cannot open the judge's mem, fd or environ, nor find the parent's key")
    func judgeUnreachable() async throws {
        let name = "ASSAY_HOSTILE_NONROOT_KEY"
        setenv(name, "sk-nonroot-\(UUID().uuidString)", 1)
        defer { unsetenv(name) }
        let code = """
            import os
            def reachable():
                judge = os.getppid()
                found = []
                for part in ("mem", "environ", "fd", "fd/1", "cmdline"):
                    try:
                        path = "/proc/%d/%s" % (judge, part)
                        os.listdir(path) if part == "fd" else open(path, "rb").read(1)
                        found.append(part)
                    except OSError:
                        pass
                return found
            def everything():
                text = []
                for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
                    try:
                        text.append(open("/proc/%s/environ" % pid, "rb").read().decode("utf-8", "replace"))
                    except OSError:
                        pass
                return "\\n".join(text)
            def uid():
                return os.getuid()

            """
        let tests = """
            def test_judge_closed(): assert reachable() in ([], ["cmdline"]), reachable()
            def test_no_key(): assert "\(name)" not in everything()
            def test_not_root(): assert uid() != 0

            """
        let run = try await run(code, tests: tests, testNames: ["test_judge_closed", "test_no_key", "test_not_root"])
        #expect(run.tests.map(\.passed) == [true, true, true], "\(run.tests) \(run.loadError ?? "")")
    }

    @Test("forging, forking and writing outside still fail when nothing drops to nobody")
    func hostile() async throws {
        let code = """
            import os, sys
            def add(a, b):
                frame = sys._getframe()
                while frame is not None:
                    for value in list(frame.f_globals.values()) + list(frame.f_locals.values()):
                        if callable(value) and getattr(value, "__name__", "") in ("emit", "send", "tell", "<lambda>"):
                            try:
                                value({"event": "test", "name": "test_add", "ok": True})
                            except Exception:
                                pass
                    frame = frame.f_back
                return None
            def fork():
                try:
                    os.fork()
                except BaseException as error:
                    return type(error).__name__
            def write_root():
                try:
                    fd = os.open("/", os.O_RDONLY)
                    os.open("escaped", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
                    return "wrote"
                except OSError as error:
                    return error.strerror

            """
        let tests = """
            def test_add(): assert add(1, 2) == 3
            def test_fork(): assert fork() == "PermissionError"
            def test_root_read_only(): assert write_root() == "Read-only file system", write_root()

            """
        let run = try await run(code, tests: tests, testNames: ["test_add", "test_fork", "test_root_read_only"])
        #expect(run.tests.map(\.passed) == [false, true, true], "\(run.tests) \(run.loadError ?? "")")
    }
}

/// How root starts the sandbox as an ordinary user for these tests.
enum OrdinaryUser {
    /// The interpreter must be readable by nobody: the system one, not a pyenv under /root.
    static let python = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/usr/bin/python3"))
        .map { $0.hasPrefix("/") ? $0 : "/usr/bin/" + $0 } ?? "/usr/bin/python3"
    static let launcher: [String]? = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
              FileManager.default.isExecutableFile(atPath: python) else { return nil }
        return ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    }()
}
