import AssayCore
import AssaySuites

extension Behaviour {
    /// The score the suite's grader gives the answer the simulator writes for this request,
    /// without HTTP, a sandbox or a judge: what a run against the simulator stores (code scores
    /// pass@1, judged answers the simulated judge's points). For calibration: many zoo seeds in
    /// seconds.
    public func simulatedScore(model: Zoo.Model, effort: Effort, suite: Suite, item: SuiteItem, requestSeed: Int) -> Double {
        let correct = isCorrect(model: model, effort: effort, suite: suite, item: item, requestSeed: requestSeed)
        let variant = StableHash.unit(String(zoo.seed), model.id, effort.rawValue, suite.name, item.id, String(requestSeed), "variant")
        let answer = AnswerWriter(suite: suite, item: item, chatty: model.style == "chatty", variant: variant).answer(correct: correct)
        return ExpectedCatalog.score(answer, suite: suite, item: item, correct: correct)
    }
}
