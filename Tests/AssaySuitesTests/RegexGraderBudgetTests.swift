import AssayCore
import AssaySuites
import Foundation
import Testing

/// Patterns and answers built to make a backtracking matcher run for ever.
@Suite("Regex grader against catastrophic backtracking")
struct RegexGraderBudgetTests {
    static func item(_ pattern: String, reference: String? = nil) -> SuiteItem {
        SuiteItem(id: "x", prompt: "q", answer: .string(pattern), reference: reference)
    }

    @Test("(a+)+$ against aaaa…! comes back within a second, graded as a fail that says the match was abandoned",
          arguments: ["(a+)+$", "(a|aa)+$", "(a+a+)+b"])
    func catastrophic(pattern: String) {
        let answer = String(repeating: "a", count: 64) + "!"
        let clock = ContinuousClock()
        var grade: Grade?
        let elapsed = clock.measure { grade = GraderSpec.regex(caseInsensitive: true).grade(answer, item: Self.item(pattern)) }
        #expect(elapsed < .seconds(1), "\(elapsed)")
        #expect(grade?.passed == false && grade?.score == 0)
        #expect(grade?.reason == "matching /\(pattern)/ was abandoned after 500 ms (the pattern backtracks too much on this response); counted as no match")
    }

    @Test("ordinary patterns still match, anchor to the whole response and ignore case by default")
    func ordinary() {
        #expect(RegexGrader.match(pattern: "^\\d{3}-\\d{4}$", text: "555-0123", caseInsensitive: true) == .matched)
        #expect(RegexGrader.match(pattern: "^\\d{3}-\\d{4}$", text: "call 555-0123", caseInsensitive: true) == .notMatched)
        #expect(RegexGrader.match(pattern: "hello", text: "HELLO", caseInsensitive: true) == .matched)
        #expect(RegexGrader.match(pattern: "hello", text: "HELLO", caseInsensitive: false) == .notMatched)
        #expect(RegexGrader.match(pattern: "(a+)+$", text: String(repeating: "a", count: 64), caseInsensitive: true) == .matched)
    }

    @Test("a suite whose reference sends its pattern backtracking loads with a warning saying so")
    func loadWarns() {
        let sink = DiagnosticSink(file: "slow.yaml")
        let suite = SuiteLoader.parse("""
            suite: slow
            task: extraction
            version: 1
            grader: {type: regex}
            items:
              - id: a
                prompt: p
                answer: "(a+)+$"
                reference: "\(String(repeating: "a", count: 64))!"
            """, file: "slow.yaml", sink: sink)
        #expect(suite != nil)
        #expect(sink.diagnostics.map(\.description) == [
            "slow.yaml:8:13: warning: items[0].answer: matching the item's reference response was abandoned after 500 ms: "
                + "the pattern backtracks too much (nested quantifiers such as (a+)+?)"])
    }

    @Test("an invalid pattern is an error at load time")
    func invalid() {
        let sink = DiagnosticSink(file: "bad.yaml")
        _ = SuiteLoader.parse("suite: bad\ntask: t\nversion: 1\ngrader: {type: regex}\nitems: [{id: a, prompt: p, answer: \"(unclosed\"}]",
                              file: "bad.yaml", sink: sink)
        #expect(sink.diagnostics.contains { $0.severity == .error && $0.message.hasPrefix("not a valid regular expression") })
    }
}
