import AssayCatalogFormat
import AssayCore
import AssayStore
import Foundation

/// Everything the catalog needs from one entry's samples, gathered in one pass: sums, per-item
/// and per-cluster totals, latencies. Samples are never held, so building the catalog over
/// millions of them takes memory in proportion to entries × items, not samples.
struct EntryAccumulator {
    var model: ModelRef
    var effort: String
    var samples = 0
    var errors = 0
    var epochs: Set<Int> = []
    var newest = Date.distantPast
    var stale = false
    /// Per item (by the accumulation's integer id): score sum and count over epochs.
    var items: [Int64: ItemTotal] = [:]
    var costs = Statistics.CostSums()
    var costToday: Int64 = 0
    var costAsRun: Int64 = 0
    var inputTokens = 0, outputTokens = 0, reasoningTokens = 0
    var latencies: [Int] = []
    var priced = false
    /// Sum and count of the share of tests passed (code only).
    var testsShare = (sum: 0.0, count: 0)

    init(model: ModelRef, effort: String) {
        self.model = model
        self.effort = effort
    }

    mutating func add(_ fact: SampleFact, item: Int64, price: PriceSheet?) {
        samples += 1
        epochs.insert(fact.epoch)
        if fact.createdAt > newest { newest = fact.createdAt }
        guard fact.status == .ok else {
            errors += 1
            return
        }
        let score = fact.score ?? 0
        items[item, default: ItemTotal()].add(score)
        if let share = fact.testsPassedShare {
            testsShare.sum += share
            testsShare.count += 1
        }
        let today = price?.cost(of: fact.usage).nanoUSD ?? fact.costNusd
        costs.add(cost: Double(today), score: score)
        costToday += today
        costAsRun += fact.costNusd
        inputTokens += fact.inputTokens
        outputTokens += fact.outputTokens
        reasoningTokens += fact.reasoningTokens
        if let latency = fact.latencyMs { latencies.append(latency) }
    }

    mutating func merge(_ other: EntryAccumulator) {
        samples += other.samples
        errors += other.errors
        epochs.formUnion(other.epochs)
        newest = max(newest, other.newest)
        stale = stale || other.stale
        for (key, value) in other.items { items[key, default: ItemTotal()].merge(value) }
        costs.merge(other.costs)
        costToday += other.costToday
        costAsRun += other.costAsRun
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        reasoningTokens += other.reasoningTokens
        latencies += other.latencies
        testsShare.sum += other.testsShare.sum
        testsShare.count += other.testsShare.count
    }

    var ok: Int { samples - errors }

    /// Per-item mean scores (epochs averaged), for paired comparisons.
    var itemMeans: [Int64: Double] { items.mapValues { $0.sum / Double($0.count) } }

    /// Score sums per cluster, in item order (so sums round the same in every run): the epochs
    /// of an item form one, and so do items sharing a passage (`clusters`).
    func clusterSums(clusters: [Int64: Int]) -> [(sum: Double, count: Int)] {
        var pooled: [Int: (sum: Double, count: Int)] = [:]
        var order: [Int] = []
        var sums: [(sum: Double, count: Int)] = []
        for item in items.keys.sorted() {
            let total = items[item]!
            if let cluster = clusters[item] {
                if pooled[cluster] == nil { order.append(cluster) }
                pooled[cluster, default: (0, 0)].sum += total.sum
                pooled[cluster, default: (0, 0)].count += total.count
            } else {
                sums.append((total.sum, total.count))
            }
        }
        return sums + order.map { pooled[$0]! }
    }

    func entry(now: Date, pricedModel: Bool, clusters: [Int64: Int]) -> CatalogDocument.Entry {
        let count = Int64(max(1, ok))
        let stats = Statistics.meanWithCI(clusterSums: clusterSums(clusters: clusters))
        let costPerTask = (costToday + count / 2) / count
        let costInterval = Statistics.meanInterval(costs)
        let solvedInterval = Statistics.ratioInterval(costs)
        let newestDate = newest == .distantPast ? now : newest
        func mean(_ total: Int) -> Double { ok == 0 ? 0 : Double(total) / Double(ok) }
        return CatalogDocument.Entry(
            model: model.description, effort: effort, n: ok, items: items.count, epochs: epochs.count, errors: errors,
            errorRate: samples == 0 ? 0 : Double(errors) / Double(samples),
            quality: ok > 0 ? stats?.mean : nil, qualityCi: ok > 0 ? stats.map { [$0.low, $0.high] } : nil,
            costPerTaskNusd: costPerTask, costPerTaskUsd: Money(nanoUSD: costPerTask).description,
            costPerSolvedNusd: costs.score > 0 ? Int64((Double(costToday) / costs.score).rounded()) : nil,
            costPerTaskAsRunNusd: (costAsRun + count / 2) / count,
            inputTokensMean: mean(inputTokens), outputTokensMean: mean(outputTokens), reasoningTokensMean: mean(reasoningTokens),
            latencyMsP50: Statistics.percentile(latencies, 0.5), latencyMsP95: Statistics.percentile(latencies, 0.95),
            measuredAt: ISO8601DateFormatter().string(from: newestDate),
            ageDays: max(0, now.timeIntervalSince(newestDate) / 86_400),
            priceChanged: abs(costToday - costAsRun) > max(Int64(ok), costAsRun / 200),
            staleSuiteVersion: stale, withinMargin: false, verdict: nil, comparison: nil,
            costPerTaskCiNusd: costInterval.map { [Int64($0.low.rounded()), Int64($0.high.rounded())] },
            costPerSolvedCiNusd: solvedInterval.map { [Int64($0.low.rounded()), Int64($0.high.rounded())] },
            priced: pricedModel || costToday > 0,
            testsPassedShare: testsShare.count > 0 ? (testsShare.sum / Double(testsShare.count) * 10_000).rounded() / 10_000 : nil)
    }
}

/// One item's scores in one entry.
struct ItemTotal {
    var sum = 0.0
    var count = 0

    mutating func add(_ score: Double) {
        sum += score
        count += 1
    }

    mutating func merge(_ other: ItemTotal) {
        sum += other.sum
        count += other.count
    }
}
