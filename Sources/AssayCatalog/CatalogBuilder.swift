import AssayCore
import AssayStore
import Foundation

/// Turns stored samples into the catalog: per task, per model+effort statistics, paired
/// verdicts against the best entry, the Pareto frontier, effort curves and the pick.
public struct CatalogBuilder: Sendable {
    public var margin: Double
    public var prices: [ModelRef: PriceSheet]
    public var now: Date
    /// Content hashes of the suites' current versions; nil treats every version as current.
    public var currentSuites: Set<String>?

    public init(margin: Double = 0.02, prices: [ModelRef: PriceSheet], now: Date = Date(), currentSuites: Set<String>? = nil) {
        self.margin = margin
        self.prices = prices
        self.now = now
        self.currentSuites = currentSuites
    }

    public func build(facts: [SampleFact]) -> CatalogDocument {
        let byTask = Dictionary(grouping: selectVersions(facts), by: \.task)
        let sections = byTask.keys.sorted().map { task in section(task: task, facts: byTask[task]!) }
        var document = CatalogDocument(schemaVersion: CatalogDocument.currentSchemaVersion, generatedAt: "", contentSha256: "",
                                       margin: margin, confidence: 0.95, tasks: sections)
        // Hash the content without the time stamps, so the same measurements hash the same.
        var canonical = document
        for t in canonical.tasks.indices {
            for e in canonical.tasks[t].entries.indices { canonical.tasks[t].entries[e].ageDays = 0 }
        }
        document.contentSha256 = sha256Hex(Array((try? CatalogDocument.encoder().encode(canonical)) ?? Data()))
        document.generatedAt = ISO8601DateFormatter().string(from: now)
        return document
    }

    /// Per (model, effort, suite): the samples on the suite's current version, or, when there are
    /// none, those on the newest older version (marked stale).
    func selectVersions(_ facts: [SampleFact]) -> [SampleFact] {
        guard let currentSuites else { return facts }
        struct Key: Hashable { var provider, model, effort, suite: String }
        let groups = Dictionary(grouping: facts) { Key(provider: $0.provider, model: $0.model, effort: $0.effort, suite: $0.suite) }
        var selected: [SampleFact] = []
        for (_, group) in groups {
            let current = group.filter { currentSuites.contains($0.suiteSha256) }
            if !current.isEmpty {
                selected += current
            } else if let newest = group.max(by: { ($0.suiteVersion, $0.createdAt) < ($1.suiteVersion, $1.createdAt) }) {
                selected += group.filter { $0.suiteSha256 == newest.suiteSha256 }.map { fact in
                    var stale = fact
                    stale.staleVersion = true
                    return stale
                }
            }
        }
        return selected
    }

    func section(task: String, facts: [SampleFact]) -> CatalogDocument.TaskSection {
        let suites = Set(facts.map { "\($0.suite)@\($0.suiteVersion)" }).sorted()
        let items = Set(facts.map { "\($0.suite)/\($0.itemKey)" }).count
        var clusters: [String: String] = [:]
        for fact in facts { clusters["\(fact.suite)/\(fact.itemKey)"] = "\(fact.suite)/\(fact.cluster ?? fact.itemKey)" }
        let groups = Dictionary(grouping: facts) { EntryKey(model: $0.modelRef, effort: $0.effort) }
        var itemScores: [String: [String: Double]] = [:]
        var entries = groups.keys.sorted().map { key in
            let (entry, scores) = self.entry(key: key, facts: groups[key]!)
            itemScores["\(entry.model)@\(entry.effort)"] = scores
            return entry
        }
        let best = Self.best(of: entries)
        if let best, let bestScores = itemScores["\(best.model)@\(best.effort)"] {
            let bestQuality = entries.first { $0.model == best.model && $0.effort == best.effort }?.quality ?? 0
            for index in entries.indices {
                guard let quality = entries[index].quality else { continue }
                entries[index].withinMargin = quality >= bestQuality - margin - 1e-12
                if entries[index].model == best.model && entries[index].effort == best.effort {
                    entries[index].verdict = "best"
                    continue
                }
                guard let scores = itemScores["\(entries[index].model)@\(entries[index].effort)"],
                      let difference = PairedStatistics.compare(scores, bestScores, clusters: clusters) else {
                    entries[index].verdict = "undecided"
                    continue
                }
                let verdict = PairedStatistics.verdict(difference, margin: margin)
                entries[index].verdict = verdict
                entries[index].comparison = .init(
                    sharedItems: difference.n, meanDifference: difference.mean, differenceCi: [difference.low, difference.high],
                    itemsToSettle: verdict == "undecided" ? PairedStatistics.itemsNeeded(difference, margin: margin).map { max(0, $0 - difference.n) } : nil)
            }
        }
        let pick = CatalogQuery.choose(entries, objective: .cheapest, best: best)
        entries.sort { ($0.quality ?? -1, -$0.costPerTaskNusd) > ($1.quality ?? -1, -$1.costPerTaskNusd) }
        return CatalogDocument.TaskSection(
            task: task, suites: suites, items: items, best: best,
            pick: pick.map { .init(model: $0.entry.model, effort: $0.entry.effort, reason: $0.reason) },
            frontier: Frontier.pareto(entries),
            effortCurves: Frontier.effortCurves(entries, itemScores: itemScores, clusters: clusters),
            entries: entries)
    }

    /// The entry with the highest quality; ties go to the cheaper one.
    static func best(of entries: [CatalogDocument.Entry]) -> CatalogDocument.EntryRef? {
        entries.filter { $0.quality != nil }
            .max { ($0.quality!, -$0.costPerTaskNusd) < ($1.quality!, -$1.costPerTaskNusd) }
            .map { .init(model: $0.model, effort: $0.effort) }
    }

    struct EntryKey: Hashable, Comparable {
        var model: ModelRef
        var effort: String
        static func < (a: EntryKey, b: EntryKey) -> Bool { (a.model.description, a.effort) < (b.model.description, b.effort) }
    }

    /// One entry's statistics, and its per-item mean scores (epochs averaged) for pairing.
    func entry(key: EntryKey, facts: [SampleFact]) -> (CatalogDocument.Entry, [String: Double]) {
        let ok = facts.filter { $0.status == "ok" }
        let errors = facts.count - ok.count
        // Epochs of the same item share a cluster; so do items the suite says share a passage.
        let clusters = ok.map { "\($0.suite)/\($0.cluster ?? $0.itemKey)" }
        let scores = ok.map { $0.score ?? 0 }
        let stats = Statistics.meanWithCI(scores: scores, clusters: clusters)
        let price = prices[key.model]
        let costsToday = ok.map { price?.cost(of: $0.usage).nanoUSD ?? $0.costNusd }
        let totalToday = costsToday.reduce(0, +)
        let totalAsRun = ok.reduce(Int64(0)) { $0 + $1.costNusd }
        let totalScore = scores.reduce(0, +)
        let count = Int64(max(1, ok.count))
        func mean(_ value: (SampleFact) -> Int) -> Double { ok.isEmpty ? 0 : Double(ok.reduce(0) { $0 + value($1) }) / Double(ok.count) }
        let latencies = ok.compactMap(\.latencyMs)
        let costPerTask = (totalToday + count / 2) / count
        let asRun = (totalAsRun + count / 2) / count
        let newest = facts.map(\.createdAt).max() ?? now
        let costInterval = Statistics.meanInterval(costsToday.map(Double.init))
        let solvedInterval = Statistics.ratioInterval(costs: costsToday.map(Double.init), scores: scores)
        var perItem: [String: (Double, Int)] = [:]
        for fact in ok {
            let item = "\(fact.suite)/\(fact.itemKey)"
            let (sum, n) = perItem[item] ?? (0, 0)
            perItem[item] = (sum + (fact.score ?? 0), n + 1)
        }
        let entry = CatalogDocument.Entry(
            model: key.model.description, effort: key.effort, n: ok.count, items: perItem.count,
            epochs: Set(facts.map(\.epoch)).count, errors: errors,
            errorRate: facts.isEmpty ? 0 : Double(errors) / Double(facts.count),
            quality: stats?.mean, qualityCi: stats.map { [$0.low, $0.high] },
            costPerTaskNusd: costPerTask, costPerTaskUsd: Money(nanoUSD: costPerTask).description,
            costPerSolvedNusd: totalScore > 0 ? Int64((Double(totalToday) / totalScore).rounded()) : nil,
            costPerTaskAsRunNusd: asRun,
            inputTokensMean: mean(\.inputTokens), outputTokensMean: mean(\.outputTokens),
            reasoningTokensMean: mean(\.reasoningTokens),
            latencyMsP50: Statistics.percentile(latencies, 0.5), latencyMsP95: Statistics.percentile(latencies, 0.95),
            measuredAt: ISO8601DateFormatter().string(from: newest),
            ageDays: max(0, now.timeIntervalSince(newest) / 86_400),
            priceChanged: abs(totalToday - totalAsRun) > max(Int64(ok.count), totalAsRun / 200),
            staleSuiteVersion: facts.contains { $0.staleVersion },
            withinMargin: false, verdict: nil, comparison: nil,
            costPerTaskCiNusd: costInterval.map { [Int64($0.low.rounded()), Int64($0.high.rounded())] },
            costPerSolvedCiNusd: solvedInterval.map { [Int64($0.low.rounded()), Int64($0.high.rounded())] },
            priced: !(price?.isEmpty ?? true) || totalToday > 0)
        return (entry, perItem.mapValues { $0.0 / Double($0.1) })
    }
}

/// Number formats shared by the catalog's outputs.
public enum Format {
    public static func percent(_ value: Double) -> String { Money.fixed(value * 100, digits: 1) + "%" }
    public static func points(_ value: Double) -> String { Money.fixed(value * 100, digits: 1) + " points" }
    public static func ratio(_ value: Double) -> String { Money.fixed(value, digits: value >= 10 ? 0 : 1) + "×" }
}
