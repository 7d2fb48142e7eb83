import AssayCore
import AssaySuites
import Testing

struct FixedJudge: JudgeModel {
    var identity = "test/fixed-judge"
    var reply: String
    func verdict(system: String, prompt: String) async throws -> String { reply }
}

@Suite("judge grader")
struct JudgeGraderTests {
    let suite = Suite(name: "w", task: "writing", version: 1, grader: .judge(JudgeRubric(rubric: "Clear and correct.")),
                      items: [SuiteItem(id: "a", prompt: "Summarise X.", answer: .string("mentions Y"))])

    @Test("a well-formed verdict gives score/scale, with the judge and raw verdict kept")
    func parses() async throws {
        let grading = Grading(judge: FixedJudge(reply: "Good summary.\nSCORE: 8/10"))
        let outcome = try await grading.grade("text", suite: suite, item: suite.items[0])
        #expect(outcome.grade.score == 0.8)
        #expect(outcome.grade.passed)
        #expect(outcome.judge == "test/fixed-judge")
        #expect(outcome.verdict == "Good summary.\nSCORE: 8/10")
    }

    @Test("verdicts that break the format are errors, never zeros", arguments: [
        "Great work!", "SCORE: 8", "SCORE: 11/10", "SCORE: 8/10 because", "score: 8/10", "SCORE: 8/5", "SCORE: 7/10\nmore text", "SCORE: -1/10",
    ])
    func strict(reply: String) async {
        let grading = Grading(judge: FixedJudge(reply: reply))
        do {
            let outcome = try await grading.grade("text", suite: suite, item: suite.items[0])
            Issue.record("expected an error, got \(outcome.grade)")
        } catch {
            #expect(error.message.contains("SCORE: n/10"))
            #expect(error.verdict == reply)
            #expect(error.judge == "test/fixed-judge")
        }
    }

    @Test("no configured judge is an error")
    func noJudge() async {
        await #expect(throws: Grading.Failure.self) { try await Grading().grade("x", suite: suite, item: suite.items[0]) }
    }

    @Test("the prompt carries the rubric, the task and the response")
    func prompt() {
        let text = JudgeGrader.prompt(rubric: JudgeRubric(rubric: "Be brief."), item: suite.items[0], response: "RESPONSE")
        #expect(text.hasPrefix(JudgeGrader.rubricMarker))
        #expect(text.contains("Be brief.") && text.contains("Summarise X.") && text.contains("RESPONSE") && text.contains("mentions Y"))
    }
}
