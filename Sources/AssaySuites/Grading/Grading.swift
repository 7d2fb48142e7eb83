import AssayCore

/// Grades answers for every grader: the pure graders inline, `python-tests` in the sandbox
/// (bounded by its own concurrency), `judge` through the judge model.
public struct Grading: Sendable {
    public let sandbox: PythonSandbox
    public let judge: (any JudgeModel)?

    public init(sandbox: PythonSandbox = PythonSandbox(), judge: (any JudgeModel)? = nil) {
        self.sandbox = sandbox
        self.judge = judge
    }

    /// Throws before any request is sent when `suites` include python-tests and the sandbox
    /// refuses to run answers here (no bubblewrap and no opt-in), rather than storing every
    /// answer as an error.
    package func checkReady(for suites: [Suite]) throws {
        guard suites.contains(where: { if case .pythonTests = $0.grader { true } else { false } }) else { return }
        try sandbox.checkIsolation()
    }

    /// A grade plus what was recorded to reach it.
    public struct Outcome: Sendable, Hashable {
        public var grade: Grade
        /// Per-test results (python-tests), as JSON.
        package var detail: JSONValue?
        /// Who judged (judge grader), and the raw verdict.
        public var judge: String?
        public var verdict: String?
    }

    /// Why an answer could not be graded (no interpreter, judge unreachable, a verdict that does
    /// not follow the format). The sample is stored as an error, not as a zero.
    public struct Failure: Error, Sendable {
        public var message: String
        public var judge: String?
        public var verdict: String?
    }

    public func grade(_ response: String, suite: Suite, item: SuiteItem) async throws(Failure) -> Outcome {
        switch suite.grader {
        case .pythonTests(let limits):
            let code = CodeExtractor.code(in: response, entryPoint: item.entryPoint)
            do {
                let run = try await sandbox.run(code: code, tests: item.tests ?? "", testNames: item.testNames, limits: limits)
                return Outcome(grade: run.grade, detail: run.detail)
            } catch {
                throw Failure(message: "python-tests: \(error)")
            }
        case .judge(let rubric):
            guard let judge else { throw Failure(message: "no judge model is configured (set 'judge:' in assay.yaml)") }
            let verdict: String
            do {
                verdict = try await judge.verdict(system: JudgeGrader.system,
                                                  prompt: JudgeGrader.prompt(rubric: rubric, item: item, response: response))
            } catch {
                throw Failure(message: "the judge \(judge.identity) failed: \(error)", judge: judge.identity)
            }
            guard let score = JudgeGrader.score(in: verdict, scale: rubric.scale) else {
                throw Failure(message: "the judge's verdict does not end with 'SCORE: n/\(rubric.scale)': \(excerpt(verdict, limit: 120))",
                              judge: judge.identity, verdict: verdict)
            }
            let grade = Grade(score: Double(score) / Double(rubric.scale), passed: score >= rubric.passScore,
                              reason: "judged \(score)/\(rubric.scale) by \(judge.identity)")
            return Outcome(grade: grade, judge: judge.identity, verdict: verdict)
        default:
            return Outcome(grade: suite.grader.grade(response, item: item))
        }
    }
}
