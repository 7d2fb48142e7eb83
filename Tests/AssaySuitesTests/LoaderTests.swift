import AssayCore
import AssaySuites
import AssayTestSupport
import Testing

@Suite("Suite loader")
struct LoaderTests {
    func diagnostics(_ text: String) -> [Diagnostic] {
        let sink = DiagnosticSink(file: "bad.yaml")
        _ = SuiteLoader.parse(text, file: "bad.yaml", sink: sink)
        return sink.diagnostics
    }

    @Test("reports every problem at once, each with its line and key path")
    func everyProblem() throws {
        let found = diagnostics("""
            suite: Bad Name
            task: math
            version: one
            grader: {type: numeric, tolerance: 0.01}
            itemz: []
            items:
              - id: a
                prompt: What is 2+2?
                answer: four
              - id: a
                prompt: What is 3+3?
                answer: 6
                difficulty: 9
              - prompt: ""
                answer: 1
            """)
        let text = found.map(\.description)
        #expect(text.contains { $0.hasPrefix("bad.yaml:1:") && $0.contains("suite: 'Bad Name' should be kebab-case") })
        #expect(text.contains { $0.hasPrefix("bad.yaml:3:") && $0.contains("version: expected an integer") })
        #expect(text.contains { $0.hasPrefix("bad.yaml:5:") && $0.contains("unknown key 'itemz' (did you mean 'items'?)") })
        #expect(text.contains { $0.hasPrefix("bad.yaml:9:") && $0.contains("items[0].answer: the numeric grader needs a number") })
        #expect(text.contains { $0.hasPrefix("bad.yaml:10:") && $0.contains("duplicate item id 'a'") })
        #expect(text.contains { $0.hasPrefix("bad.yaml:13:") && $0.contains("items[1].difficulty: must be between 1 and 5") })
        #expect(text.contains { $0.contains("items[2].id: missing required key 'id'") })
        #expect(text.contains { $0.contains("items[2].prompt: must not be empty") })
        #expect(found.count == 8, "\(text.joined(separator: "\n"))")
    }

    @Test("a YAML syntax error names its line")
    func syntaxError() {
        let found = diagnostics("suite: x\ntask: [unclosed\nversion: 1\n")
        #expect(found.count == 1)
        #expect(found[0].line != nil)
        #expect(found[0].message.hasPrefix("not valid YAML"))
    }

    @Test("an unknown grader suggests the nearest one")
    func unknownGrader() {
        let found = diagnostics("suite: s\ntask: t\nversion: 1\ngrader: {type: numerc}\nitems:\n  - {id: a, prompt: p, answer: 1}\n")
        #expect(found.map(\.message).contains { $0.contains("unknown grader 'numerc' (did you mean 'numeric'?)") })
    }

    @Test("grader parameters that do not apply are errors")
    func wrongParameter() {
        let found = diagnostics("suite: s\ntask: t\nversion: 1\ngrader: {type: exact, tolerance: 1}\nitems:\n  - {id: a, prompt: p, answer: x}\n")
        #expect(found.map(\.message).contains { $0.contains("'tolerance' does not apply to the exact grader") })
    }

    @Test("choice answers must name an existing option")
    func choiceAnswers() {
        let found = diagnostics("""
            suite: s
            task: t
            version: 1
            grader: {type: choice}
            items:
              - {id: a, prompt: p, answer: E, choices: [x, y, z]}
              - {id: b, prompt: p, answer: "1", choices: [x, y]}
              - {id: c, prompt: p, answer: A}
            """)
        let messages = found.map(\.message)
        #expect(messages.contains { $0.contains("answer 'E' is past the last choice (C)") })
        #expect(messages.contains { $0.contains("needs a letter answer") })
        #expect(messages.contains { $0.contains("needs 'choices' with at least two options") })
    }

    @Test("json answers must satisfy the suite's own schema")
    func jsonAnswers() {
        let found = diagnostics("""
            suite: s
            task: t
            version: 1
            grader:
              type: json
              schema: {required: [name], properties: {name: string, age: integer}}
            items:
              - {id: a, prompt: p, answer: {age: 3.5}}
            """)
        let messages = found.map(\.message)
        #expect(messages.contains { $0.contains("missing key 'name'") })
        #expect(messages.contains { $0.contains("'age' should be integer") })
    }

    @Test("an invalid regex is caught at load time")
    func badRegex() {
        let found = diagnostics("suite: s\ntask: t\nversion: 1\ngrader: {type: regex}\nitems:\n  - {id: a, prompt: p, answer: \"([\"}\n")
        #expect(found.map(\.message).contains { $0.contains("not a valid regular expression") })
    }

    @Test("a missing file is a diagnostic, not a crash")
    func missingFile() {
        let (suite, found) = SuiteLoader.check(file: "/nonexistent/suite.yaml")
        #expect(suite == nil)
        #expect(found.first?.message.contains("cannot read the file") == true)
    }

    @Test("the shipped suites load: at least four task kinds, at least 30 items each, a spread of difficulty")
    func shippedSuites() throws {
        let suites = try Fixtures.shippedSuites()
        #expect(Set(suites.map(\.task)).count >= 4)
        for suite in suites {
            #expect(suite.items.count >= 30, "\(suite.name)")
            #expect(Set(suite.items.compactMap(\.difficulty)).count >= 4, "\(suite.name) needs a spread of difficulty")
            #expect(suite.contentSHA256.count == 64)
        }
    }

    @Test("every shipped reference response passes its own grader")
    func referencesPass() throws {
        for suite in try Fixtures.shippedSuites() {
            for item in suite.items where suite.grader.isPure {
                guard let reference = item.reference else { continue }
                let grade = suite.grader.grade(reference, item: item)
                #expect(grade.passed, "\(suite.name)/\(item.id): \(grade.reason)")
            }
        }
    }
}
