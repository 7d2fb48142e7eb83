import AssayCatalogFormat
import AssayCore
import Foundation

/// `assay router eval`: routing replayed on held-out items, against fixed policies, across a
/// sweep of the utility objective's λ (docs/router.md).
public struct RouterEvaluation: Codable, Sendable, Equatable {
    public var heldOutItems: Int
    /// Held-out items whose task the classifier inferred correctly, as a fraction.
    package var classifierAccuracy: Double
    /// Items the classifier gave another task (`suite/item` → the task it inferred).
    package var misclassified: [String: String]
    /// The router with its default objective, then always-best (the one entry with the highest
    /// quality over every task: what sending everything to the frontier model gives), per-task-best
    /// (each task's highest-quality entry), always-cheapest, random, oracle (the cheapest entry with
    /// the item's best score), then per-task-pick (each task's `assay catalog best` pick: the
    /// static table), router-nearest-items and router-prompt-logistic (each estimator forced).
    package var policies: [Point]
    /// The router with the utility objective at each λ (quality given up per dollar per task).
    public var sweep: [Point]
    package var aiq: AIQ
    /// 1 − (cost at which the sweep's hull reaches always-best's quality) ÷ always-best's cost; absent
    /// when the router never reaches that quality.
    package var costSavedAtEqualQuality: Double?
    public var target: Target
    /// Each router (`router`: as the server routes with this catalog; `router-nearest-items`,
    /// `router-prompt-logistic`: each estimator forced) against the per-task table
    /// (`per-task-pick`, each task's `catalog best` pick) and always-best, item by item.
    package var comparisons: [PairedComparison] = []
    /// Calibration of each router's predicted success for the entry it chose.
    package var calibration: [Calibration] = []
    /// How items were held out: items sharing a cluster (a passage) fall in the same fold.
    package var heldOutBy = "cluster, else item"

    public struct Point: Codable, Sendable, Equatable {
        package var policy: String
        public var lambda: Double?
        /// Mean score over the held-out items.
        public var quality: Double
        /// Mean cost per item, nano-USD.
        public var costNusd: Double
    }

    /// Normalised area under the quality–cost curve over [always-cheapest, always-best] cost
    /// (RouterBench's AIQ): the router's non-decreasing concave hull, and the line that mixing
    /// always-cheapest with always-best at random traces.
    package struct AIQ: Codable, Sendable, Equatable {
        package var router: Double
        package var cheapestBestMix: Double
    }

    /// The default router against always-best: at least 95% of its quality at no more than 40% of its cost.
    public struct Target: Codable, Sendable, Equatable {
        package var qualityRatio: Double
        package var costRatio: Double
        /// Met by the default objective.
        package var met: Bool
        /// The sweep's λ values that meet it.
        package var metAtLambdas: [Double]
    }

    public static let defaultLambdas: [Double] = [0] + (0...14).map { pow(10, Double($0) / 2) }

    /// Replays each split's held-out items through a router built from that split's training
    /// catalog, and the baselines, which use the same training catalog's task-level figures.
    public static func evaluate(splits: [HoldOut.Split], options: RouterOptions = RouterOptions(),
                                lambdas: [Double] = defaultLambdas) throws(RouterLoadError) -> RouterEvaluation {
        var tallies = Tallies(lambdas: lambdas.count)
        for split in splits {
            let snapshot = try RouterSnapshot(document: split.training, options: options)
            var variants: [(String, RouterSnapshot)] = []
            var raw: [String: RouterSnapshot] = [:]
            for (name, preference) in [("router-nearest-items", RouterOptions.EstimatorPreference.nearestItems),
                                       ("router-prompt-logistic", .promptLogistic)] {
                var forced = options
                forced.estimator = preference
                variants.append((name, try RouterSnapshot(document: split.training, options: forced)))
                forced.recalibrate = false
                raw[name] = try RouterSnapshot(document: split.training, options: forced)
            }
            tallies.replay(split, snapshot: snapshot, variants: variants, raw: raw, lambdas: lambdas)
        }
        return tallies.result(lambdas: lambdas)
    }

    /// Running tallies of every policy over the replayed items.
    struct Tallies {
        var routed = 0, correct = 0
        var misclassified: [String: String] = [:]
        var router = Tally(), best = Tally(), perTask = Tally(), cheapest = Tally(), random = Tally(), oracle = Tally()
        var pick = Tally()
        var variants: [String: Tally] = [:]
        var records = ItemRecords()
        var sweep: [Tally]

        init(lambdas: Int) { sweep = Array(repeating: Tally(), count: lambdas) }

        mutating func replay(_ split: HoldOut.Split, snapshot: RouterSnapshot, variants forced: [(String, RouterSnapshot)] = [],
                             raw: [String: RouterSnapshot] = [:], lambdas: [Double]) {
            let catalog = split.training
            let bestEntry = RouterEvaluation.bestSingle(catalog)
            for item in split.items {
                guard let prompt = item.prompt, let section = catalog.section(item.task) else { continue }
                routed += 1
                let request = RouteRequest(prompt: prompt)
                let decision = try? snapshot.decide(request)
                if decision?.task == item.task { correct += 1 } else { misclassified[item.item.key] = decision?.task ?? "" }
                router.add(decision.flatMap { outcome(of: $0, on: item) })
                record("router", decision, item)
                for (name, variant) in forced {
                    let chosen = try? variant.decide(request)
                    variants[name, default: Tally()].add(chosen.flatMap { outcome(of: $0, on: item) })
                    record(name, chosen, item)
                    // With the task named, as a static per-task table needs it: the estimator's
                    // worth apart from the classifier's mistakes.
                    let named = RouteRequest(prompt: prompt, model: "auto:" + item.task)
                    let onTask = try? variant.decide(named)
                    variants[name + "+task", default: Tally()].add(onTask.flatMap { outcome(of: $0, on: item) })
                    record(name + "+task", onTask, item)
                    // Every entry's prediction on the item, recalibrated as served and raw.
                    for (label, snapshot) in [(" (every entry)", variant), (" (every entry, raw)", raw[name])] {
                        guard let snapshot, let all = try? snapshot.estimates(named) else { continue }
                        for (entry, predicted) in all.estimates.sorted(by: { $0.key < $1.key }) {
                            guard let observed = item.outcomes[entry], let quality = section.entries.first(where: { $0.name == entry })?.quality
                            else { continue }
                            records.predict(name + "+task" + label, predicted, taskQuality: quality, observed: observed.score)
                            // Task quality as an estimator of its own (no per-request signal), once per entry.
                            if name == forced.first?.0 {
                                let policy = label == " (every entry)" ? "task-quality (every entry)" : "task-quality (every entry, raw)"
                                records.predict(policy, snapshot.calibratedTaskQuality(quality), taskQuality: quality, observed: observed.score)
                            }
                        }
                    }
                }
                for (index, lambda) in lambdas.enumerated() {
                    var utility = request
                    utility.objective = .utility(lambda: lambda)
                    sweep[index].add((try? snapshot.decide(utility)).flatMap { outcome(of: $0, on: item) })
                }
                let measured = section.entries.filter { $0.quality != nil }
                best.add(bestEntry.flatMap { item.outcomes[$0] })
                records.add("always-best", bestEntry.flatMap { item.outcomes[$0] })
                perTask.add(section.best.flatMap { item.outcomes[$0.name] })
                let table = (section.pick.map { EntryKey(model: $0.model, effort: $0.effort).description } ?? section.best?.name)
                    .flatMap { item.outcomes[$0] }
                pick.add(table)
                records.add("per-task-pick", table)
                let priced = measured.contains(where: \.priced) ? measured.filter(\.priced) : measured
                cheapest.add(priced.min { ($0.costPerTaskNusd, -$0.quality!) < ($1.costPerTaskNusd, -$1.quality!) }
                    .flatMap { item.outcomes[$0.name] })
                let outcomes = measured.compactMap { item.outcomes[$0.name] }
                random.add(outcomes.isEmpty ? nil : HoldOut.Outcome(
                    score: outcomes.map(\.score).reduce(0, +) / Double(outcomes.count),
                    costNusd: outcomes.map(\.costNusd).reduce(0, +) / Double(outcomes.count)))
                let oracleOutcome = outcomes.max { ($0.score, -$0.costNusd) < ($1.score, -$1.costNusd) }
                oracle.add(oracleOutcome)
                records.add("oracle", oracleOutcome)
            }
        }

        /// The policy's per-item outcome, and its chosen entry's prediction against its score.
        mutating func record(_ policy: String, _ decision: Decision?, _ item: HoldOut.Item) {
            records.add(policy, decision.flatMap { outcome(of: $0, on: item) })
            if let decision, let observed = item.outcomes[decision.name] {
                records.predict(policy, decision.estimatedQuality, taskQuality: decision.taskQuality, observed: observed.score)
            }
        }

        func result(lambdas: [Double]) -> RouterEvaluation {
            let policies = [router.point("router"), best.point("always-best"), perTask.point("per-task-best"),
                            cheapest.point("always-cheapest"), random.point("random"), oracle.point("oracle"),
                            pick.point("per-task-pick")] + variants.keys.sorted().map { variants[$0]!.point($0) }
            let routers = ["router"] + variants.keys.sorted()
            let sweepPoints = zip(lambdas, sweep).map { lambda, tally in
                var point = tally.point("router-utility")
                point.lambda = lambda
                return point
            }
            let (low, high) = (policies[3], policies[1])
            let hull = CostQualityCurve(points: sweepPoints + [policies[0]])
            func meets(_ point: Point) -> Bool {
                high.quality > 0 && high.costNusd > 0 && point.quality >= 0.95 * high.quality && point.costNusd <= 0.40 * high.costNusd
            }
            var result = RouterEvaluation(
                heldOutItems: routed,
                classifierAccuracy: routed == 0 ? 0 : Double(correct) / Double(routed), misclassified: misclassified,
                policies: policies, sweep: sweepPoints,
                aiq: AIQ(router: hull.area(from: low.costNusd, to: high.costNusd), cheapestBestMix: (low.quality + high.quality) / 2),
                costSavedAtEqualQuality: hull.cost(reaching: high.quality - 1e-12).map { high.costNusd > 0 ? 1 - $0 / high.costNusd : 0 },
                target: Target(qualityRatio: high.quality > 0 ? policies[0].quality / high.quality : 0,
                               costRatio: high.costNusd > 0 ? policies[0].costNusd / high.costNusd : 0,
                               met: meets(policies[0]), metAtLambdas: sweepPoints.filter(meets).compactMap(\.lambda)))
            result.comparisons = routers.compactMap { records.compare($0, against: "per-task-pick") }
                + routers.compactMap { records.compare($0, against: "always-best") }
            let everyEntry = variants.keys.sorted().filter { $0.hasSuffix("+task") }.flatMap { [$0 + " (every entry)", $0 + " (every entry, raw)"] }
            result.calibration = (routers + everyEntry + ["task-quality (every entry)", "task-quality (every entry, raw)"])
                .compactMap { records.calibration($0) }
            return result
        }
    }

    /// The one entry (`model@effort`) with the highest quality over every task, weighting each
    /// task by its items; only entries measured on every task qualify.
    static func bestSingle(_ catalog: CatalogDocument) -> String? {
        var totals: [String: (score: Double, items: Int, tasks: Int, cost: Int64)] = [:]
        for section in catalog.tasks {
            for entry in section.entries {
                guard let quality = entry.quality else { continue }
                var total = totals[entry.name] ?? (0, 0, 0, 0)
                total.score += quality * Double(entry.items)
                total.items += entry.items
                total.tasks += 1
                total.cost += entry.costPerTaskNusd
                totals[entry.name] = total
            }
        }
        return totals.filter { $0.value.tasks == catalog.tasks.count && $0.value.items > 0 }
            .max { ($0.value.score / Double($0.value.items), -$0.value.cost, $1.key) < ($1.value.score / Double($1.value.items), -$1.value.cost, $0.key) }?
            .key
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
