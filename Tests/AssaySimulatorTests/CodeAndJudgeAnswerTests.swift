import AssayCore
import AssayProviders
@testable import AssaySimulator
import AssaySuites
import AssayTestSupport
import Testing

@Suite("Simulator: code and judge answers")
struct CodeAndJudgeAnswerTests {
    let suites: [Suite]
    let engine: SimulatorEngine

    init() throws {
        suites = try Fixtures.shippedSuites()
        engine = SimulatorEngine(zoo: try Zoo.builtIn(), suites: suites)
    }

    @Test("code answers carry the reference when right and the buggy variant when wrong, in both styles")
    func codeAnswers() throws {
        for suite in suites {
            guard case .pythonTests = suite.grader else { continue }
            for item in suite.items {
                for chatty in [false, true] {
                    let writer = AnswerWriter(suite: suite, item: item, chatty: chatty, variant: 0.5)
                    let trim = { (s: String?) in s?.trimmingCharacters(in: .whitespacesAndNewlines) }
                    #expect(trim(CodeExtractor.code(in: writer.answer(correct: true), entryPoint: item.entryPoint)) == trim(item.reference))
                    #expect(trim(CodeExtractor.code(in: writer.answer(correct: false), entryPoint: item.entryPoint)) == trim(item.buggy))
                }
            }
        }
    }

    @Test("simulated code answers grade as intended through the real sandbox",
          .enabled(if: SandboxEnvironment.current.canRunAnswers, "needs python3, and bubblewrap or ASSAY_SANDBOX=none"))
    func gradedInSandbox() async throws {
        let suite = try #require(suites.first { $0.task == "coding" && !$0.grader.isPure })
        let grading = Grading()
        for item in suite.items.prefix(4) {
            let writer = AnswerWriter(suite: suite, item: item, chatty: true, variant: 0.5)
            #expect(try await grading.grade(writer.answer(correct: true), suite: suite, item: item).grade.passed)
            #expect(try await !grading.grade(writer.answer(correct: false), suite: suite, item: item).grade.passed)
        }
    }

    @Test("every zoo model judges deterministically: the reference scores high, the weak draft low")
    func judge() async throws {
        let suite = Suite(name: "judge-mini", task: "writing", version: 1, grader: .judge(JudgeRubric(rubric: "Accurate and brief.")),
                          items: [SuiteItem(id: "a", prompt: "Summarise the memo.", answer: .null, reference: "Good summary.", buggy: "Weak draft.")])
        let engine = SimulatorEngine(zoo: try Zoo.builtIn(), suites: [suite])
        struct EngineJudge: JudgeModel {
            let engine: SimulatorEngine
            var identity: String { "sim/condor" }
            func verdict(system: String, prompt: String) async throws -> String {
                try engine.complete(model: "condor", messages: [.init(role: .system, content: system), .init(role: .user, content: prompt)],
                                    effortText: nil, maxTokens: nil, seed: 0).text
            }
        }
        let grading = Grading(judge: EngineJudge(engine: engine))
        let good = try await grading.grade("Good summary.", suite: suite, item: suite.items[0])
        let weak = try await grading.grade("Weak draft.", suite: suite, item: suite.items[0])
        #expect(good.grade.passed && good.grade.score == 0.9)
        #expect(!weak.grade.passed && weak.grade.score == 0.3)
        #expect(good.verdict?.hasSuffix("SCORE: 9/10") == true)
    }
}
