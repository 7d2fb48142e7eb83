import AssaySuites
import Foundation
import Testing

/// Hostile and ordinary answers through the real sandbox (real python3 subprocesses).
@Suite("python-tests sandbox", .enabled(if: SandboxEnvironment.current.canRunAnswers, "needs python3, and bubblewrap or ASSAY_SANDBOX=none"))
struct SandboxTests {
    let sandbox = PythonSandbox()
    let tests = """
        def test_small(): assert add(1, 2) == 3
        def test_zero(): assert add(0, 0) == 0

        """
    let limits = SandboxLimits(timeoutSeconds: 6, cpuSeconds: 3, memoryMB: 256, fileMB: 1, testSeconds: 1.5)

    func run(_ code: String) async throws -> SandboxRun {
        try await sandbox.run(code: code, tests: tests, testNames: ["test_small", "test_zero"], limits: limits)
    }

    @Test("a correct answer passes every test, per test recorded")
    func correct() async throws {
        let run = try await run("def add(a, b):\n    return a + b\n")
        #expect(run.grade.passed, "\(run.grade.reason)")
        #expect(run.tests.map(\.passed) == [true, true])
        #expect(run.detail.objectValue?["tests"]?.arrayValue?.count == 2)
    }

    @Test("code scores pass@1: passing 1 of 2 tests is a 0, the share of tests passed is kept beside it")
    func partial() async throws {
        let run = try await run("def add(a, b):\n    return a + b if a else 1\n")
        #expect(run.grade.score == 0)
        #expect(run.passedShare == 0.5)
        #expect(run.detail.objectValue?["tests_passed_share"] == .number(0.5))
        #expect(!run.grade.passed)
        #expect(run.grade.reason.contains("1 of 2 tests passed"))
    }

    @Test("a syntax error is a failed load, with the reason")
    func syntaxError() async throws {
        let run = try await run("def add(a, b)\n    return a + b\n")
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.contains("SyntaxError"))
    }

    @Test("an infinite loop is stopped and graded failed")
    func infiniteLoop() async throws {
        let run = try await run("while True:\n    pass\n")
        #expect(run.seconds < limits.timeoutSeconds + 3)
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.contains("did not run") || run.grade.reason.contains("limit"), "\(run.grade.reason)")
    }

    @Test("a busy loop in C that ignores the alarm is killed by the CPU or wall-clock limit")
    func uninterruptible() async throws {
        let run = try await run("def add(a, b):\n    return sum(range(10 ** 12))\n")
        #expect(run.seconds < limits.timeoutSeconds + 3)
        #expect(!run.grade.passed)
        #expect(run.grade.reason.contains("limit"), "\(run.grade.reason)")
    }

    @Test("a fork bomb cannot start a single process")
    func forkBomb() async throws {
        let run = try await run("import os\ndef add(a, b):\n    while True:\n        os.fork()\n")
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.contains("blocked") || run.grade.reason.contains("BlockingIOError"), "\(run.grade.reason)")
    }

    @Test("a 10 GB allocation fails with MemoryError, not the machine")
    func memoryHog() async throws {
        let run = try await run("data = bytearray(10 * 1024 ** 3)\ndef add(a, b):\n    return a + b\n")
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.contains("MemoryError"), "\(run.grade.reason)")
    }

    @Test("writing outside the sandbox folder is refused and fails the answer, even when the answer hides the error")
    func writeOutside() async throws {
        let target = NSTemporaryDirectory() + "assay-escape-\(UUID().uuidString)"
        let code = """
            def add(a, b):
                try:
                    open(\(String(reflecting: target)), "w").write("escaped")
                except Exception:
                    pass
                return a + b

            """
        let run = try await run(code)
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.contains("blocked by the sandbox: writing outside"), "\(run.grade.reason)")
    }

    @Test("writing a huge file inside the folder stops at the file-size limit")
    func hugeFile() async throws {
        let run = try await run("def add(a, b):\n    with open('big.bin', 'wb') as f:\n        while True:\n            f.write(b'x' * 1000000)\n")
        #expect(run.grade.score == 0)
        #expect(run.tests.first?.error?.contains("File too large") == true, "\(run.tests)")
    }

    @Test("opening a socket is refused")
    func socket() async throws {
        let run = try await run("import socket\ns = socket.create_connection(('1.1.1.1', 80), timeout=1)\ndef add(a, b):\n    return a + b\n")
        #expect(run.grade.score == 0)
        #expect(run.grade.reason.contains("socket") || run.grade.reason.contains("network"), "\(run.grade.reason)")
    }

    @Test("huge output does not flood the grader")
    func hugeOutput() async throws {
        let run = try await run("import sys, os\ndef add(a, b):\n    for _ in range(200):\n        print('x' * 100000)\n        os.write(1, b'y' * 100000)\n    return a + b\n")
        #expect(run.grade.passed, "\(run.grade.reason)")
    }

    @Test("the sandbox folder is removed afterwards")
    func cleanup() async throws {
        let root = NSTemporaryDirectory() + "assay-sandbox-root-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let own = PythonSandbox(temporaryRoot: root)
        let run = try await own.run(code: "def add(a, b):\n    open('scratch.txt', 'w').write('ok')\n    return a + b\n", tests: tests,
                                    testNames: ["test_small", "test_zero"], limits: limits)
        #expect(run.grade.passed, "\(run.grade.reason)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test("an answer cannot add tests of its own or skip the hidden ones")
    func testNamesFixed() async throws {
        let run = try await run("def add(a, b):\n    return 0\ndef test_extra():\n    pass\n")
        #expect(run.tests.map(\.name) == ["test_small", "test_zero"])
        #expect(run.grade.score == 0 && run.passedShare == 0.5)
    }

    @Test("many concurrent gradings are bounded and all finish")
    func concurrency() async throws {
        let limited = PythonSandbox(concurrency: 2, memoize: false)
        let runs = try await withThrowingTaskGroup(of: SandboxRun.self) { group in
            for _ in 0..<6 {
                group.addTask { try await limited.run(code: "def add(a, b):\n    return a + b\n", tests: tests,
                                                      testNames: ["test_small", "test_zero"], limits: limits) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.count == 6 && runs.allSatisfy(\.grade.passed))
    }
}
