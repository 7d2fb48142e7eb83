import AssayCore
import AssaySuites
import Testing

@Suite("Suite loader: code and judge items")
struct CodeItemLoaderTests {
    func load(_ text: String) -> (Suite?, [Diagnostic]) {
        let sink = DiagnosticSink(file: "code.yaml")
        let suite = SuiteLoader.parse(text, file: "code.yaml", sink: sink)
        return (suite, sink.diagnostics)
    }

    @Test("a python-tests suite reads tests, entry point, reference, buggy and limits; no answer needed")
    func reads() throws {
        let (suite, found) = load("""
            suite: c
            task: coding
            version: 1
            grader: {type: python-tests, timeout_seconds: 4, memory_mb: 256}
            items:
              - id: add
                prompt: Write add(a, b).
                entry_point: add
                tests: |
                  def test_one(): assert add(1, 1) == 2
                  def test_two():
                      assert add(2, 2) == 4
                reference: "def add(a, b):\\n    return a + b\\n"
                buggy: "def add(a, b):\\n    return a - b\\n"
            """)
        #expect(found.isEmpty, "\(found)")
        let item = try #require(suite?.items.first)
        #expect(item.testNames == ["test_one", "test_two"])
        #expect(item.entryPoint == "add" && item.buggy != nil && item.answer == .null)
        #expect(suite?.grader == .pythonTests(limits: SandboxLimits(timeoutSeconds: 4, memoryMB: 256)))
    }

    @Test("code items without tests, with no test functions, or with a reference missing the entry point are errors")
    func errors() {
        let (_, found) = load("""
            suite: c
            task: coding
            version: 1
            grader: {type: python-tests}
            items:
              - id: a
                prompt: p
                reference: "x = 1"
              - id: b
                prompt: p
                tests: "assert True"
                reference: "x = 1"
              - id: c
                prompt: p
                entry_point: solve
                tests: "def test_x(): pass"
                reference: "def other(): pass"
            """)
        let text = found.map(\.description)
        let (_, limits) = load("suite: c\ntask: coding\nversion: 1\ngrader: {type: python-tests, memory_mb: 1}\nitems:\n  - {id: a, prompt: p, tests: 'def test_a(): pass'}\n")
        #expect(limits.map(\.description).contains { $0.contains("code.yaml:4:") && $0.contains("grader.memory_mb: must be between 64 and 65536") })
        #expect(text.contains { $0.contains("items[0].tests: missing required key 'tests'") })
        #expect(text.contains { $0.contains("code.yaml:11:") && $0.contains("items[1].tests: no test functions") })
        #expect(text.contains { $0.contains("items[2].reference: the reference does not define the entry point 'solve'") })
    }

    @Test("tests on a suite that is not python-tests is an error; a judge suite needs a rubric")
    func misplaced() {
        let (_, found) = load("""
            suite: c
            task: t
            version: 1
            grader: {type: exact}
            items:
              - {id: a, prompt: p, answer: x, tests: "def test_a(): pass"}
            """)
        #expect(found.contains { $0.message.contains("'tests' only applies to the python-tests grader") })
        let (_, judge) = load("suite: w\ntask: writing\nversion: 1\ngrader: {type: judge, scale: 5}\nitems:\n  - {id: a, prompt: p}\n")
        #expect(judge.contains { $0.keyPath == "grader.rubric" && $0.message.contains("missing required key 'rubric'") })
    }
}
