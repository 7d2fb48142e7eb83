import AssayCore
import AssayStore
import Foundation

/// Turns stored samples into the catalog: per task, per model+effort statistics and the pick.
public struct CatalogBuilder: Sendable {
    public var margin: Double
    public var prices: [ModelRef: PriceSheet]
    public var now: Date

    public init(margin: Double = 0.02, prices: [ModelRef: PriceSheet], now: Date = Date()) {
        self.margin = margin
        self.prices = prices
        self.now = now
    }

    public func build(facts: [SampleFact]) -> CatalogDocument {
        let byTask = Dictionary(grouping: facts, by: \.task)
        let sections = byTask.keys.sorted().map { task in section(task: task, facts: byTask[task]!) }
        var document = CatalogDocument(schemaVersion: CatalogDocument.currentSchemaVersion, generatedAt: "", contentSha256: "",
                                       margin: margin, confidence: 0.95, tasks: sections)
        let canonical = (try? CatalogDocument.encoder().encode(document)) ?? Data()
        document.contentSha256 = sha256Hex(Array(canonical))
        document.generatedAt = ISO8601DateFormatter().string(from: now)
        return document
    }

    func section(task: String, facts: [SampleFact]) -> CatalogDocument.TaskSection {
        let suites = Set(facts.map { "\($0.suite)@\($0.suiteVersion)" }).sorted()
        let items = Set(facts.map { "\($0.suite)/\($0.itemKey)" }).count
        let groups = Dictionary(grouping: facts) { EntryKey(model: $0.modelRef, effort: $0.effort) }
        var entries = groups.keys.sorted().map { key in entry(key: key, facts: groups[key]!) }
        let (best, pick) = choose(entries)
        for index in entries.indices {
            if let quality = entries[index].quality, let bestQuality = best.flatMap({ b in entries.first { $0.model == b.model && $0.effort == b.effort } })?.quality {
                entries[index].withinMargin = quality >= bestQuality - margin - 1e-12
            }
        }
        entries.sort { ($0.quality ?? -1, -$0.costPerTaskNusd) > ($1.quality ?? -1, -$1.costPerTaskNusd) }
        return CatalogDocument.TaskSection(task: task, suites: suites, items: items, best: best, pick: pick, entries: entries)
    }

    struct EntryKey: Hashable, Comparable {
        var model: ModelRef
        var effort: String
        static func < (a: EntryKey, b: EntryKey) -> Bool { (a.model.description, a.effort) < (b.model.description, b.effort) }
    }

    func entry(key: EntryKey, facts: [SampleFact]) -> CatalogDocument.Entry {
        let ok = facts.filter { $0.status == "ok" }
        let errors = facts.count - ok.count
        // Epochs of the same item share a cluster; so do items the suite says share a passage.
        let clusters = ok.map { "\($0.suite)/\($0.cluster ?? $0.itemKey)" }
        let stats = Statistics.meanWithCI(scores: ok.map { $0.score ?? 0 }, clusters: clusters)
        let price = prices[key.model]
        let costsToday = ok.map { price?.cost(of: $0.usage).nanoUSD ?? $0.costNusd }
        let totalToday = costsToday.reduce(0, +)
        let totalScore = ok.reduce(0.0) { $0 + ($1.score ?? 0) }
        let count = max(1, ok.count)
        func mean(_ value: (SampleFact) -> Int) -> Double { ok.isEmpty ? 0 : Double(ok.reduce(0) { $0 + value($1) }) / Double(ok.count) }
        let latencies = ok.compactMap(\.latencyMs)
        let costPerTask = (totalToday + Int64(count) / 2) / Int64(count)
        return CatalogDocument.Entry(
            model: key.model.description, effort: key.effort, n: ok.count,
            items: Set(ok.map { "\($0.suite)/\($0.itemKey)" }).count, epochs: Set(facts.map(\.epoch)).count,
            errors: errors, errorRate: facts.isEmpty ? 0 : Double(errors) / Double(facts.count),
            quality: stats?.mean, qualityCi: stats.map { [$0.low, $0.high] },
            costPerTaskNusd: costPerTask, costPerTaskUsd: Money(nanoUSD: costPerTask).description,
            costPerSolvedNusd: totalScore > 0 ? Int64((Double(totalToday) / totalScore).rounded()) : nil,
            costPerTaskAsRunNusd: (ok.reduce(0) { $0 + $1.costNusd } + Int64(count) / 2) / Int64(count),
            inputTokensMean: mean(\.inputTokens), outputTokensMean: mean(\.outputTokens),
            reasoningTokensMean: mean(\.reasoningTokens),
            latencyMsP50: Statistics.percentile(latencies, 0.5), latencyMsP95: Statistics.percentile(latencies, 0.95),
            measuredAt: ISO8601DateFormatter().string(from: facts.map(\.createdAt).max() ?? now),
            withinMargin: false, priced: !(price?.isEmpty ?? true) || totalToday > 0)
    }

    /// The best entry by quality (ties: cheaper), and the cheapest entry within `margin` of it
    /// (ties: higher quality).
    func choose(_ entries: [CatalogDocument.Entry]) -> (CatalogDocument.EntryRef?, CatalogDocument.Pick?) {
        let measured = entries.filter { $0.quality != nil }
        guard let best = measured.max(by: { ($0.quality!, -$0.costPerTaskNusd) < ($1.quality!, -$1.costPerTaskNusd) }) else {
            return (nil, nil)
        }
        let bestQuality = best.quality!
        let withinMargin = measured.filter { $0.quality! >= bestQuality - margin - 1e-12 }
        // An entry without a price would always look cheapest; pick among priced ones when any is.
        let eligible = withinMargin.contains(where: \.priced) ? withinMargin.filter(\.priced) : withinMargin
        let pick = eligible.min { ($0.costPerTaskNusd, -$0.quality!) < ($1.costPerTaskNusd, -$1.quality!) }!
        let bestRef = CatalogDocument.EntryRef(model: best.model, effort: best.effort)
        let ratio = pick.costPerTaskNusd > 0 ? Double(best.costPerTaskNusd) / Double(pick.costPerTaskNusd) : 0
        var reason = "cheapest of \(eligible.count) entr\(eligible.count == 1 ? "y" : "ies") within \(Format.points(margin)) of the best quality"
            + " (\(best.model)@\(best.effort), \(Format.percent(bestQuality)))"
        if pick.model != best.model || pick.effort != best.effort {
            reason += "; quality \(Format.percent(pick.quality!)) at \(pick.costPerTaskUsd) per task"
                + (ratio > 1 ? ", \(Format.ratio(ratio)) cheaper than the best" : "")
        } else {
            reason += "; it is the best itself"
        }
        return (bestRef, CatalogDocument.Pick(model: pick.model, effort: pick.effort, reason: reason))
    }
}

/// Number formats shared by the catalog's outputs.
public enum Format {
    public static func percent(_ value: Double) -> String { Money.fixed(value * 100, digits: 1) + "%" }
    public static func points(_ value: Double) -> String { Money.fixed(value * 100, digits: 1) + " points" }
    public static func ratio(_ value: Double) -> String { Money.fixed(value, digits: value >= 10 ? 0 : 1) + "×" }
}
