import AssaySuites
import Testing

/// Answers that try to pass tests they fail by forging the result instead of computing it. The
/// verdict comes from the judge process, which the answer's process cannot reach: each must end
/// with every test failed.
@Suite("answers cannot forge their test results",
       .enabled(if: SandboxEnvironment.current.canRunAnswers, "needs python3, and bubblewrap or ASSAY_SANDBOX=none"))
struct ForgedResultTests {
    static let fakeEvents = #"b'{"event": "test", "name": "test_small", "ok": true}\n{"event": "test", "name": "test_zero", "ok": true}\n{"event": "done", "dropped_to": null}\n'"#

    static let forgeries: [(String, String)] = [
        ("walks the frame stack and calls every emit / send / tell it finds with passing events", """
            import sys
            def forge():
                events = [{"event": "test", "name": n, "ok": True} for n in ("test_small", "test_zero")] + [{"event": "done"}]
                frame = sys._getframe()
                while frame is not None:
                    for scope in (frame.f_locals, frame.f_globals):
                        for name, value in list(scope.items()):
                            if callable(value) and name in ("emit", "send", "tell", "report"):
                                for event in events:
                                    for args in ((event,), (1, event), (3, event)):
                                        try:
                                            value(*args)
                                        except Exception:
                                            pass
                    frame = frame.f_back
            forge()
            def add(a, b):
                forge()
                return None
            """),
        ("writes fake result lines to every descriptor 0 to 64", """
            import os
            def spray():
                for fd in range(65):
                    try:
                        os.write(fd, \(fakeEvents))
                    except OSError:
                        pass
            spray()
            def add(a, b):
                spray()
                return None
            """),
        ("calls os._exit(0) while loading", "import os\nos._exit(0)\ndef add(a, b):\n    return None\n"),
        ("calls os._exit(0) inside the function under test", "import os\ndef add(a, b):\n    os._exit(0)\n"),
        ("raises SystemExit(0) inside the function under test", "def add(a, b):\n    raise SystemExit(0)\n"),
        ("monkeypatches builtins and AssertionError", """
            import builtins
            class Quiet(Exception):
                pass
            builtins.AssertionError = Quiet
            builtins.__dict__["len"] = lambda x: 0
            builtins.isinstance = lambda *a: True
            def add(a, b):
                return None
            """),
        ("prints the done event and the passing lines", """
            import sys, os
            print(\(fakeEvents).decode(), flush=True)
            sys.__stdout__.write(\(fakeEvents).decode())
            def add(a, b):
                print(\(fakeEvents).decode(), flush=True)
                return None
            """),
        ("returns an object that equals everything", """
            class Anything:
                def __eq__(self, other): return True
                def __ne__(self, other): return False
                def __bool__(self): return True
                def __hash__(self): return 0
            def add(a, b):
                return Anything()
            """),
        ("returns a list subclass that equals everything", """
            class Liar(list):
                def __eq__(self, other): return True
            def add(a, b):
                return Liar()
            """),
        ("sets a trace function to jump over the assertions", """
            import sys
            def tracer(frame, event, arg):
                return tracer
            sys.settrace(tracer)
            def add(a, b):
                return None
            """),
    ]

    @Test("a forging answer fails every test", arguments: forgeries)
    func forged(_ label: String, _ code: String) async throws {
        let sandbox = PythonSandbox(memoize: false)
        let tests = "def test_small(): assert add(1, 2) == 3\ndef test_zero(): assert add(0, 0) == 0\n"
        let limits = SandboxLimits(timeoutSeconds: 10, cpuSeconds: 3, memoryMB: 256, fileMB: 1, testSeconds: 2)
        let run = try await sandbox.run(code: code, tests: tests, testNames: ["test_small", "test_zero"], limits: limits)
        #expect(run.tests.map(\.name) == ["test_small", "test_zero"], "\(label)")
        #expect(run.passedCount == 0, "\(label): \(run.tests)")
        #expect(run.grade.score == 0 && !run.grade.passed, "\(label): \(run.grade.reason)")
        #expect(run.killed == nil, "\(label): the judge itself finished: \(run.killed ?? "")")
    }
}
