import AssayCore
import AssaySuites

/// What the zoo's profiles imply, before anything is run: expected quality and cost per task of
/// every model+effort, and the pick the catalog should arrive at if measurements follow them.
public struct ExpectedCatalog: Sendable {
    public struct Entry: Sendable, Codable, Hashable {
        public var model: String
        public var effort: String
        public var expectedQuality: Double
        public var expectedCostPerTaskNusd: Int64

        enum CodingKeys: String, CodingKey {
            case model, effort, expectedQuality = "expected_quality", expectedCostPerTaskNusd = "expected_cost_per_task_nusd"
        }
    }

    public struct Task: Sendable, Codable {
        public var task: String
        public var entries: [Entry]
        public var pick: Entry?
    }

    public var tasks: [Task]

    public init(zoo: Zoo, suites: [Suite], margin: Double) {
        let behaviour = Behaviour(zoo: zoo)
        let byTask = Dictionary(grouping: suites, by: \.task)
        tasks = byTask.keys.sorted().map { task in
            let taskSuites = byTask[task]!
            let items = taskSuites.flatMap { suite in suite.items.map { (suite, $0) } }
            var entries: [Entry] = []
            for model in zoo.models {
                for effort in model.efforts.keys.sorted() {
                    var quality = 0.0
                    var cost: Int64 = 0
                    for (suite, item) in items {
                        // Grade both answers the simulator would write for request seed 0 as the
                        // real graders score them: json fields and the judge's scale give partial
                        // credit; code counts only when it passes all its tests (pass@1), and a
                        // wrong answer is the item's buggy code, which fails at least one.
                        let p = behaviour.probability(model: model, effort: effort, task: task, difficulty: item.difficulty)
                        let variant = StableHash.unit(String(zoo.seed), model.id, effort.rawValue, suite.name, item.id, "0", "variant")
                        let writer = AnswerWriter(suite: suite, item: item, chatty: model.style == "chatty", variant: variant)
                        quality += p * Self.score(writer.answer(correct: true), suite: suite, item: item, correct: true)
                            + (1 - p) * Self.score(writer.answer(correct: false), suite: suite, item: item, correct: false)
                        let input = Behaviour.tokens(suite.system ?? "") + Behaviour.tokens(item.renderedPrompt) + 8
                        let reasoning = Double(model.efforts[effort]?.reasoningTokens ?? 0) * (0.5 + 0.25 * Double(item.difficulty ?? 3))
                        let output = Int(reasoning) + Behaviour.tokens(item.reference ?? item.answer.jsonText)
                        cost += model.price.cost(of: Usage(inputTokens: input, outputTokens: output, reasoningTokens: Int(reasoning))).nanoUSD
                    }
                    let n = max(1, items.count)
                    entries.append(Entry(model: "\(zoo.provider)/\(model.id)", effort: effort.rawValue,
                                         expectedQuality: quality / Double(n), expectedCostPerTaskNusd: cost / Int64(n)))
                }
            }
            let best = entries.map(\.expectedQuality).max() ?? 0
            let pick = entries.filter { $0.expectedQuality >= best - margin }
                .min { ($0.expectedCostPerTaskNusd, -$0.expectedQuality) < ($1.expectedCostPerTaskNusd, -$1.expectedQuality) }
            return Task(task: task, entries: entries, pick: pick)
        }
    }

    /// The score the suite's grader gives a simulated answer, without running code or a judge.
    public static func score(_ answer: String, suite: Suite, item: SuiteItem, correct: Bool) -> Double {
        switch suite.grader {
        case .pythonTests: correct ? 1 : 0
        case .judge(let rubric): SimulatedJudge.score(of: answer, item: item, scale: rubric.scale)
        default: suite.grader.grade(answer, item: item).score
        }
    }
}
