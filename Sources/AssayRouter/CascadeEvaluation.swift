import AssayCatalogFormat
import Foundation

/// `assay cascade eval`: one worker/advisor/check cascade replayed on stored held-out answers,
/// swept over the check's threshold, against always-best, the single-pick router and the oracle.
public struct CascadeEvaluation: Codable, Sendable, Equatable {
    public var spec: CascadeSpec
    /// The task replayed, nil for every task.
    public var task: String?
    public var items: Int
    /// always-best, router, oracle, worker alone, advisor alone (quality, mean cost per item).
    package var baselines: [RouterEvaluation.Point]
    public var sweep: [Point]

    /// The cascade at one threshold.
    public struct Point: Codable, Sendable, Equatable {
        package var threshold: Double
        public var quality: Double
        /// Mean cost per item of every call (worker + check + advisor when asked), nano-USD.
        public var costNusd: Double
        package var workerCostNusd: Double
        package var checkCostNusd: Double
        package var advisorCostNusd: Double
        /// Share of items sent to the advisor.
        package var escalated: Double
        /// Items the check could not read (sent to the advisor).
        package var unchecked: Int
        /// The cascade's score minus always-best's, paired per item, with its 95% interval.
        package var versusAlwaysBest: Interval
        /// The same against the single-pick router.
        package var versusRouter: Interval
        /// Cost ÷ always-best's cost (nil when always-best cost nothing).
        package var costRatioToAlwaysBest: Double?
        /// The check's mean cost ÷ the worker's.
        package var checkShareOfWorker: Double?
        package var accuracy: CheckAccuracy
    }

    /// How often the check is wrong: it doubts a right worker answer (score ≥ 0.5), or trusts a
    /// wrong one; nil when there were no such answers.
    package struct CheckAccuracy: Codable, Sendable, Equatable {
        package var falseDoubt: Double?
        package var falseTrust: Double?
        package var rightAnswers: Int
        package var wrongAnswers: Int
    }

    /// A mean difference and its normal-approximation 95% interval.
    package struct Interval: Codable, Sendable, Equatable {
        package var mean: Double
        package var low: Double
        package var high: Double

        package init(differences: [Double]) {
            let n = Double(differences.count)
            guard n > 0 else {
                (mean, low, high) = (0, 0, 0)
                return
            }
            let mean = differences.reduce(0, +) / n
            let variance = n > 1 ? differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            let half = 1.96 * (variance / n).squareRoot()
            (self.mean, low, high) = (mean, mean - half, mean + half)
        }
    }

    /// Replays `spec` on `items` (those of `task` when given) at each of `thresholds`
    /// (default: the check's own sweep).
    public static func evaluate(_ spec: CascadeSpec, items: [CascadeItem], task: String? = nil,
                                thresholds: [Double]? = nil) -> CascadeEvaluation {
        let chosen = task.map { task in items.filter { $0.task == task } } ?? items
        func mean(_ values: some Sequence<Double>) -> Double {
            chosen.isEmpty ? 0 : values.reduce(0, +) / Double(chosen.count)
        }
        func baseline(_ name: String, _ outcome: (CascadeItem) -> HoldOut.Outcome?) -> RouterEvaluation.Point {
            let outcomes = chosen.map(outcome)
            return RouterEvaluation.Point(policy: name, lambda: nil, quality: mean(outcomes.map { $0?.score ?? 0 }),
                                          costNusd: mean(outcomes.map { $0?.costNusd ?? 0 }))
        }
        let baselines = [baseline("always-best", \.alwaysBest), baseline("router", \.router), baseline("oracle", \.oracle),
                         baseline("worker", { $0.outcomes[spec.worker] }), baseline("advisor", { $0.outcomes[spec.advisor] })]
        let sweep = (thresholds ?? spec.check.thresholds).map { threshold in
            point(spec, threshold: threshold, items: chosen, alwaysBestCost: baselines[0].costNusd)
        }
        return CascadeEvaluation(spec: spec, task: task, items: chosen.count, baselines: baselines, sweep: sweep)
    }

    /// The cascade at one threshold over `items`.
    package static func point(_ spec: CascadeSpec, threshold: Double, items: [CascadeItem], alwaysBestCost: Double) -> Point {
        var score = 0.0, worker = 0.0, check = 0.0, advisor = 0.0
        var escalated = 0, unchecked = 0, right = 0, wrong = 0, falseDoubt = 0, falseTrust = 0
        var versusBest: [Double] = [], versusRouter: [Double] = []
        versusBest.reserveCapacity(items.count)
        versusRouter.reserveCapacity(items.count)
        for item in items {
            let step = spec.step(on: item, threshold: threshold)
            score += step.score
            (worker, check, advisor) = (worker + step.workerCost, check + step.checkCost, advisor + step.advisorCost)
            if step.escalated { escalated += 1 }
            if step.unchecked { unchecked += 1 }
            if let isRight = step.workerRight, let doubted = step.doubted {
                if isRight { right += 1 } else { wrong += 1 }
                if isRight && doubted { falseDoubt += 1 }
                if !isRight && !doubted { falseTrust += 1 }
            }
            versusBest.append(step.score - (item.alwaysBest?.score ?? 0))
            versusRouter.append(step.score - (item.router?.score ?? 0))
        }
        let n = Double(max(1, items.count))
        let cost = (worker + check + advisor) / n
        return Point(
            threshold: threshold, quality: score / n, costNusd: cost, workerCostNusd: worker / n, checkCostNusd: check / n,
            advisorCostNusd: advisor / n, escalated: Double(escalated) / n, unchecked: unchecked,
            versusAlwaysBest: Interval(differences: versusBest), versusRouter: Interval(differences: versusRouter),
            costRatioToAlwaysBest: alwaysBestCost > 0 ? cost / alwaysBestCost : nil,
            checkShareOfWorker: worker > 0 ? check / worker : nil,
            accuracy: CheckAccuracy(falseDoubt: right > 0 ? Double(falseDoubt) / Double(right) : nil,
                                    falseTrust: wrong > 0 ? Double(falseTrust) / Double(wrong) : nil,
                                    rightAnswers: right, wrongAnswers: wrong))
    }
}
