import AssayCore
import AssaySuites
import Foundation
import Testing

/// Answers that try to get out of the sandbox, read what they must not, fill the disk, start
/// processes or hang. Each asserts the exact refusal and that nothing leaked.
@Suite("hostile answers against the bubblewrap sandbox",
       .enabled(if: SandboxEnvironment.current.python != nil && SandboxEnvironment.current.isSandboxed, "needs python3 and bubblewrap"))
struct HostileCodeTests {
    let fixture = HostileFixture()

    @Test("an answer cannot read the database, assay.yaml, the home folder, /root or the host's /tmp")
    func readOutside() async throws {
        let secret = "assay-hostile-\(UUID().uuidString)"
        let cwd = FileManager.default.currentDirectoryPath
        let planted = [NSTemporaryDirectory() + "\(secret).txt", NSHomeDirectory() + "/\(secret).txt", cwd + "/\(secret).yaml"]
        for path in planted { try Data(secret.utf8).write(to: URL(fileURLWithPath: path)) }
        defer { for path in planted { try? FileManager.default.removeItem(atPath: path) } }
        let targets = planted + [cwd + "/assay.yaml", cwd + "/results/assay.sqlite", "/etc/passwd", "/etc/shadow", "/root/.bash_history"]
        let python = try #require(SandboxEnvironment.current.python)
        let allowedTop = ["assay", "dev", "etc", "lib", "lib32", "lib64", "proc", "sandbox", "usr", String(python.split(separator: "/")[0])]
        let code = """
            import os
            def probe(paths):
                read, listed = [], {}
                for path in paths:
                    try:
                        with open(path, "rb") as f:
                            read.append(path + ": " + f.read(200).decode("utf-8", "replace"))
                    except OSError:
                        pass
                for folder in ["/", "/root", "/home", "/tmp", "/var", "/etc", \(HostileFixture.literal(cwd))]:
                    try:
                        listed[folder] = sorted(os.listdir(folder))
                    except OSError:
                        pass
                return {"read": read, "listed": listed}

            """
        let tests = """
            PATHS = [\(targets.map(HostileFixture.literal).joined(separator: ", "))]
            def test_nothing_read(): assert probe(PATHS)["read"] == []
            def test_no_secret_listed(): assert \(HostileFixture.literal(secret)) not in repr(probe(PATHS))
            def test_only_the_sandbox_at_the_root(): assert set(probe(PATHS)["listed"]["/"]) <= {\(allowedTop.map(HostileFixture.literal).joined(separator: ", "))}
            def test_etc_has_the_loader_cache_only(): assert probe(PATHS)["listed"].get("/etc", []) in ([], ["ld.so.cache"])

            """
        let run = try await fixture.run(code, tests: tests)
        #expect(run.sandboxed)
        #expect(run.tests.map(\.passed) == [true, true, true, true], "\(run.tests)")
        #expect(!HostileFixture.emitted(run).contains(secret))
    }

    @Test("an answer cannot read the parent's environment (provider keys): not os.environ, /proc/<ppid>/environ or /proc/1/environ")
    func readKeys() async throws {
        let name = "ASSAY_HOSTILE_TEST_KEY"
        let secret = "sk-hostile-\(UUID().uuidString)"
        setenv(name, secret, 1)
        defer { unsetenv(name) }
        let code = """
            import os
            def environment():
                return dict(os.environ)
            def probe():
                seen = []
                pids = ["self", str(os.getppid()), "1"] + [p for p in os.listdir("/proc") if p.isdigit()]
                for pid in pids:
                    for part in ("environ", "cmdline"):
                        try:
                            with open("/proc/%s/%s" % (pid, part), "rb") as f:
                                seen.append(f.read().decode("utf-8", "replace"))
                        except OSError:
                            pass
                return "\\n".join(seen)

            """
        let tests = """
            def test_no_key(): assert \(HostileFixture.literal(name)) not in probe()
            def test_clean_environment(): assert set(environment()) <= {"PATH", "LANG", "PYTHONHASHSEED", "LC_CTYPE", "PWD"}, sorted(environment())

            """
        let run = try await fixture.run(code, tests: tests)
        #expect(run.tests.map(\.passed) == [true, true], "\(run.tests)")
        #expect(!HostileFixture.emitted(run).contains(secret))
    }

    @Test("os.fchdir, dir_fd= and open descriptors reach only the sandbox's own read-only mounts")
    func descriptorTricks() async throws {
        let marker = "assay-hostile-\(UUID().uuidString)"
        let hostTargets = ["/\(marker)", NSTemporaryDirectory() + marker, NSHomeDirectory() + "/\(marker)"]
        defer { for path in hostTargets { try? FileManager.default.removeItem(atPath: path) } }
        let code = """
            import os
            def escape(marker):
                wrote = []
                for folder in ["/", "/usr/lib", "/proc/self/cwd/..", "/root", "/tmp"]:
                    try:
                        fd = os.open(folder, os.O_RDONLY)
                    except OSError:
                        continue
                    try:
                        w = os.open(marker, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
                        os.write(w, b"escaped")
                        wrote.append("dir_fd " + folder)
                    except OSError:
                        pass
                    try:
                        os.fchdir(fd)
                        with open(marker, "w") as f:
                            f.write("escaped")
                        wrote.append("fchdir " + folder)
                    except OSError:
                        pass
                os.chdir("/sandbox") if os.path.isdir("/sandbox") else None
                return wrote

            """
        let tests = """
            def test_nowhere_writable(): assert escape(\(HostileFixture.literal(marker))) == []

            """
        let run = try await fixture.run(code, tests: tests)
        #expect(run.tests.map(\.passed) == [true], "\(run.tests)")
        for path in hostTargets { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
    }

    @Test("many small files or one big file stop at the disk cap (a tmpfs of disk_mb), not on the host's disk",
          arguments: ["many", "big"])
    func fillDisk(_ shape: String) async throws {
        let code = """
            def fill(shape):
                written = 0
                try:
                    if shape == "many":
                        for i in range(100000):
                            with open("f%d" % i, "wb") as f:
                                f.write(b"x" * 65536)
                            written += 65536
                    else:
                        with open("big", "wb") as f:
                            while True:
                                f.write(b"x" * 65536)
                                f.flush()
                                written += 65536
                except OSError as error:
                    return [written, str(error)]
                return [written, "no limit"]

            """
        var fixture = self.fixture
        fixture.limits.fileMB = 64
        let tests = """
            def test_capped():
                written, error = fill(\(HostileFixture.literal(shape)))
                assert "No space left on device" in error and written <= 4 * 2 ** 20, (written, error)

            """
        let run = try await fixture.run(code, tests: tests)
        #expect(run.tests.map(\.passed) == [true], "\(run.tests)")
    }

    @Test("os.fork, posix_spawn, os.system, subprocess and pty are refused", arguments: [
        ("os.fork()", "os.fork"), ("os.posix_spawn('/bin/sh', ['sh'], {})", "os.posix_spawn"), ("os.system('true')", "os.system"),
        ("__import__('subprocess').run(['true'])", "importing subprocess"), ("__import__('pty').fork()", "importing pty"),
    ])
    func startProcess(_ attempt: String, _ refusal: String) async throws {
        let code = """
            import os
            def start():
                try:
                    \(attempt)
                except BaseException as error:
                    return type(error).__name__
                return "started"

            """
        let run = try await fixture.run(code, tests: "def test_refused(): assert start() == 'PermissionError'\n")
        #expect(run.tests.map(\.passed) == [true], "\(run.tests)")
        #expect(run.blocked.contains { $0.contains(refusal) }, "\(run.blocked)")
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.hasPrefix("blocked by the sandbox: "), "\(run.grade.reason)")
    }

    @Test("a busy loop, a long sleep and a blocked read each fail their test at test_seconds; the next test still runs")
    func hang() async throws {
        let code = """
            import os, time
            def spin():
                while True:
                    pass
            def sleep():
                time.sleep(600)
            def block():
                r, w = os.pipe()
                os.read(r, 1)
            def add(a, b):
                return a + b

            """
        var fixture = self.fixture
        fixture.limits.testSeconds = 1
        let tests = """
            def test_spin(): spin()
            def test_sleep(): sleep()
            def test_block(): block()
            def test_after(): assert add(2, 3) == 5

            """
        let run = try await fixture.run(code, tests: tests)
        #expect(run.tests.map(\.passed) == [false, false, false, true], "\(run.tests)")
        for test in run.tests.prefix(3) {
            #expect(test.error?.hasPrefix("TestTimeout: exceeded the per-test limit of 1 s") == true, "\(test)")
        }
        #expect(run.killed == nil)
        #expect(run.seconds < 10)
    }

    @Test("an answer whose top level never returns fails to load at 5 s, not at the whole run's limit; a 1 s test limit does not shorten loading")
    func hangWhileLoading() async throws {
        var fixture = self.fixture
        fixture.limits.testSeconds = 1
        fixture.limits.cpuSeconds = 30  // the wall-clock load limit, not the CPU limit, is under test
        let run = try await fixture.run("while True:\n    pass\ndef add(a, b):\n    return a + b\n",
                                        tests: "def test_add(): assert add(2, 3) == 5\n")
        #expect(run.loadError?.hasPrefix("loading took longer than 5 s") == true, "\(String(describing: run.loadError))")
        #expect(run.tests.map(\.passed) == [false])
        #expect(run.killed == nil)
        #expect(run.seconds >= 5 && run.seconds < 10, "\(run.seconds)")
    }
}
