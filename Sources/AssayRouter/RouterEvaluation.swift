import AssayCatalog
import Foundation

/// `assay router eval`: routing replayed on held-out items, against fixed policies, across a
/// sweep of the utility objective's λ (docs/router.md).
public struct RouterEvaluation: Codable, Sendable, Equatable {
    public var heldOutItems: Int
    /// Held-out items whose task the classifier inferred correctly, as a fraction.
    public var classifierAccuracy: Double
    /// The router with its default objective, then always-best, always-cheapest, random, oracle.
    public var policies: [Point]
    /// The router with the utility objective at each λ (quality given up per dollar per task).
    public var sweep: [Point]
    public var aiq: AIQ
    /// 1 − (cost at which the sweep's hull reaches always-best's quality) ÷ always-best's cost; absent
    /// when the router never reaches that quality.
    public var costSavedAtEqualQuality: Double?
    public var target: Target

    public struct Point: Codable, Sendable, Equatable {
        public var policy: String
        public var lambda: Double?
        /// Mean score over the held-out items.
        public var quality: Double
        /// Mean cost per item, nano-USD.
        public var costNusd: Double
    }

    /// Normalised area under the quality–cost curve over [always-cheapest, always-best] cost
    /// (RouterBench's AIQ): the router's non-decreasing concave hull, and the line that mixing
    /// always-cheapest with always-best at random traces.
    public struct AIQ: Codable, Sendable, Equatable {
        public var router: Double
        public var cheapestBestMix: Double
    }

    /// The default router against always-best: at least 95% of its quality at no more than 40% of its cost.
    public struct Target: Codable, Sendable, Equatable {
        public var qualityRatio: Double
        public var costRatio: Double
        public var met: Bool
    }

    public static let defaultLambdas: [Double] = [0] + (0...14).map { pow(10, Double($0) / 2) }

    /// Replays `items` through `snapshot` (trained without them) and the baselines, which use
    /// `catalog`'s task-level figures (the same training catalog) to choose their entries.
    public static func evaluate(snapshot: RouterSnapshot, catalog: CatalogDocument, items: [HoldOut.Item],
                                lambdas: [Double] = defaultLambdas) -> RouterEvaluation {
        let routable = items.filter { $0.prompt != nil && catalog.section($0.task) != nil }
        var correct = 0
        var router = Tally(), best = Tally(), cheapest = Tally(), random = Tally(), oracle = Tally()
        var sweep = lambdas.map { _ in Tally() }
        for item in routable {
            let section = catalog.section(item.task)!
            let request = RouteRequest(prompt: item.prompt!)
            if let decision = try? snapshot.decide(request) {
                if decision.task == item.task { correct += 1 }
                router.add(outcome(of: decision, on: item))
            } else {
                router.add(nil)
            }
            for (index, lambda) in lambdas.enumerated() {
                var utility = request
                utility.objective = .utility(lambda: lambda)
                sweep[index].add((try? snapshot.decide(utility)).flatMap { outcome(of: $0, on: item) })
            }
            let measured = section.entries.filter { $0.quality != nil }
            best.add(section.best.flatMap { item.outcomes[$0.name] })
            let priced = measured.contains(where: \.priced) ? measured.filter(\.priced) : measured
            cheapest.add(priced.min { ($0.costPerTaskNusd, -$0.quality!) < ($1.costPerTaskNusd, -$1.quality!) }
                .flatMap { item.outcomes[$0.name] })
            let outcomes = measured.compactMap { item.outcomes[$0.name] }
            random.add(outcomes.isEmpty ? nil : HoldOut.Outcome(score: outcomes.map(\.score).reduce(0, +) / Double(outcomes.count),
                                                                costNusd: outcomes.map(\.costNusd).reduce(0, +) / Double(outcomes.count)))
            oracle.add(outcomes.max { ($0.score, -$0.costNusd) < ($1.score, -$1.costNusd) })
        }
        let policies = [router.point("router"), best.point("always-best"), cheapest.point("always-cheapest"),
                        random.point("random"), oracle.point("oracle")]
        let sweepPoints = zip(lambdas, sweep).map { lambda, tally in
            var point = tally.point("router-utility")
            point.lambda = lambda
            return point
        }
        let (low, high) = (policies[2], policies[1])
        let hull = CostQualityCurve(points: sweepPoints + [policies[0]])
        let qualityRatio = high.quality > 0 ? policies[0].quality / high.quality : 0
        let costRatio = high.costNusd > 0 ? policies[0].costNusd / high.costNusd : 0
        return RouterEvaluation(
            heldOutItems: routable.count,
            classifierAccuracy: routable.isEmpty ? 0 : Double(correct) / Double(routable.count),
            policies: policies, sweep: sweepPoints,
            aiq: AIQ(router: hull.area(from: low.costNusd, to: high.costNusd),
                     cheapestBestMix: (low.quality + high.quality) / 2),
            costSavedAtEqualQuality: hull.cost(reaching: high.quality - 1e-12).map { high.costNusd > 0 ? 1 - $0 / high.costNusd : 0 },
            target: Target(qualityRatio: qualityRatio, costRatio: costRatio, met: qualityRatio >= 0.95 && costRatio <= 0.40))
    }

    /// The outcome of the chosen entry, else of the first fallback that answered the item (as the
    /// server would fall over), else nil.
    static func outcome(of decision: Decision, on item: HoldOut.Item) -> HoldOut.Outcome? {
        ([decision.name] + decision.fallbacks.map(\.name)).lazy.compactMap { item.outcomes[$0] }.first
    }

    /// Running means of a policy's outcomes; an item it could not answer scores 0 and costs nothing.
    struct Tally {
        var score = 0.0, cost = 0.0, count = 0

        mutating func add(_ outcome: HoldOut.Outcome?) {
            score += outcome?.score ?? 0
            cost += outcome?.costNusd ?? 0
            count += 1
        }

        func point(_ policy: String) -> Point {
            Point(policy: policy, lambda: nil, quality: count == 0 ? 0 : score / Double(count),
                  costNusd: count == 0 ? 0 : cost / Double(count))
        }
    }
}
