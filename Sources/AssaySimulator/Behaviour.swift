import AssayCore
import AssaySuites
import Foundation

/// What a simulated model does with one request: whether it gets the item right and how many
/// tokens it spends. Deterministic for (zoo seed, suite, item, request seed).
public struct Behaviour: Sendable {
    public let zoo: Zoo

    public init(zoo: Zoo) { self.zoo = zoo }

    /// Chance that `model` at `effort` answers an item of `difficulty` in `task` correctly:
    /// a logistic curve in skill + effort boost × the task's effort gain − slope × (difficulty − 3).
    package func probability(model: Zoo.Model, effort: Effort, task: String, difficulty: Int?) -> Double {
        let boost = (model.efforts[effort]?.boost ?? 0) * zoo.effortGain(for: task)
        let logit = model.skill(for: task) + boost - zoo.difficultySlope * Double((difficulty ?? 3) - 3)
        return 1 / (1 + exp(-logit))
    }

    /// Whether this attempt succeeds: the draw mixes the item's shared draw with the model's own
    /// (`Zoo.itemCorrelation`), so models agree on hard items as real ones do, yet a stronger
    /// model does not solve a strict superset of what a weaker one solves. Every effort of a model
    /// uses the same draw, so more effort never loses an item that less effort solved.
    package func isCorrect(model: Zoo.Model, effort: Effort, suite: Suite, item: SuiteItem, requestSeed: Int) -> Bool {
        let draw = CorrelatedDraw.unit(correlation: zoo.itemCorrelation, model: model.id,
                                       parts: [String(zoo.seed), suite.name, item.id, String(requestSeed)])
        return draw < probability(model: model, effort: effort, task: suite.task, difficulty: item.difficulty)
    }

    /// Reasoning tokens spent: the effort's budget, scaled up with difficulty, ±15%.
    public func reasoningTokens(model: Zoo.Model, effort: Effort, itemKey: String, difficulty: Int?, requestSeed: Int) -> Int {
        guard let base = model.efforts[effort]?.reasoningTokens, base > 0 else { return 0 }
        let scale = 0.5 + 0.25 * Double(difficulty ?? 3)
        let jitter = 0.85 + 0.3 * StableHash.unit(String(zoo.seed), model.id, effort.rawValue, itemKey, String(requestSeed))
        return Int((Double(base) * scale * jitter).rounded())
    }

    /// Expected quality of `model` at `effort` on a suite: the mean success probability.
    public func expectedQuality(model: Zoo.Model, effort: Effort, suite: Suite) -> Double {
        guard !suite.items.isEmpty else { return 0 }
        let total = suite.items.reduce(0.0) { $0 + probability(model: model, effort: effort, task: suite.task, difficulty: $1.difficulty) }
        return total / Double(suite.items.count)
    }

    /// Approximate tokenizer: one token per 4 characters, at least one.
    package static func tokens(_ text: String) -> Int { max(1, (text.utf8.count + 3) / 4) }
}
