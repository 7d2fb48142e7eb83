import AssayCatalogFormat
import Foundation

/// One task's routing tables: its candidate entries, their scores per item, and an inverted
/// index from feature bucket to the items whose signatures contain it. A class: a request
/// takes its table by reference, not by copying a score of array references.
final class TaskTable: Sendable {
    struct Candidate: Sendable {
        var model: String
        var effort: String
        var name: String
        var quality: Double
        var costNusd: Int64
        var costUSD: Double
        var latencyP95: Int?
        var priced: Bool
        var cachedInputSavingNusdPerMtok: Int64
        /// Output tokens the entry spends per answer as measured: the catalog's mean output tokens,
        /// which count reasoning and answer tokens both (`Usage.outputTokens`).
        var tokensNeeded: Int
    }

    /// A score the entry has no sample for.
    static let missing: UInt8 = 255

    let task: String
    let candidates: [Candidate]
    /// Hot columns of `candidates`, apart so ranking a request touches no strings.
    let quality: [Double]
    let costNusd: [Int64]
    let costUSD: [Double]
    let latencyP95: [Int]
    let priced: [Bool]
    /// The model's context window in tokens, or 0 when the catalog does not know it.
    let contextTokens: [Int]
    /// `Candidate.tokensNeeded`: what a request's `max_tokens` must leave room for.
    let tokensNeeded: [Int]
    /// Each candidate's snapshot-wide entry number, and the candidate holding each entry number
    /// here (-1: not measured on this task): how estimates move between tasks' tables.
    let entry: [Int32]
    let columnByEntry: [Int32]
    let items: Int
    /// Item-major: `scores[item * candidates.count + candidate]`, the mean score × 254, or `missing`.
    let scores: [UInt8]
    /// Compressed rows: bucket b's postings are `postingStart[b]..<postingStart[b + 1]`.
    let postingStart: [Int32]
    let postingItem: [Int32]
    let postingWeight: [Float]
    /// Candidate indices by entry name and by model, for sessions and exclusions.
    let byName: [String: Int]
    let byModel: [String: [Int]]
    /// Any candidate has a price: then unpriced ones (which would look free) are not chosen.
    let anyPriced: Bool
    /// The learned per-request estimator, when the snapshot uses it for this task.
    let learned: LearnedEstimates?

    init(section: CatalogDocument.TaskSection, routerTask: CatalogDocument.RouterTask?, buckets: Int,
         savings: [String: Int64], contextWindows: [String: Int] = [:], entryIndex: [String: Int] = [:],
         learned model: PromptLogistic? = nil) {
        task = section.task
        let entries = section.entries.filter { $0.quality != nil }
        let candidates = entries.map { entry in
            Candidate(model: entry.model, effort: entry.effort, name: entry.name, quality: entry.quality!,
                      costNusd: entry.costPerTaskNusd, costUSD: Double(entry.costPerTaskNusd) / 1e9,
                      latencyP95: entry.latencyMsP95, priced: entry.priced,
                      cachedInputSavingNusdPerMtok: savings[entry.model] ?? 0,
                      tokensNeeded: Int(min(1e9, max(0, entry.outputTokensMean, entry.reasoningTokensMean)).rounded(.up)))
        }
        self.candidates = candidates
        quality = candidates.map(\.quality)
        costNusd = candidates.map(\.costNusd)
        costUSD = candidates.map(\.costUSD)
        latencyP95 = candidates.map { $0.latencyP95 ?? -1 }
        priced = candidates.map(\.priced)
        anyPriced = candidates.contains { $0.priced }
        contextTokens = candidates.map { contextWindows[$0.model] ?? 0 }
        tokensNeeded = candidates.map(\.tokensNeeded)
        entry = candidates.map { Int32(entryIndex[$0.name] ?? -1) }
        var columns = [Int32](repeating: -1, count: entryIndex.count)
        for (column, number) in entry.enumerated() where number >= 0 { columns[Int(number)] = Int32(column) }
        columnByEntry = columns
        let itemList = routerTask?.items ?? []
        items = itemList.count
        var table = [UInt8](repeating: Self.missing, count: items * entries.count)
        for (column, entry) in entries.enumerated() {
            guard let itemScores = entry.itemScores else { continue }
            for (item, score) in zip(itemScores.items, itemScores.scores) where item < items {
                table[item * entries.count + column] = UInt8((min(1, max(0, score)) * 254).rounded())
            }
        }
        scores = table
        var starts = [Int32](repeating: 0, count: buckets + 1)
        for item in itemList {
            for bucket in item.signature?.buckets ?? [] where bucket < buckets { starts[bucket + 1] += 1 }
        }
        for bucket in 0..<buckets { starts[bucket + 1] += starts[bucket] }
        var fill = starts
        var postingItem = [Int32](repeating: 0, count: Int(starts[buckets]))
        var postingWeight = [Float](repeating: 0, count: Int(starts[buckets]))
        for (index, item) in itemList.enumerated() {
            guard let signature = item.signature else { continue }
            for (bucket, weight) in zip(signature.buckets, signature.values) where bucket < buckets {
                let slot = Int(fill[bucket])
                postingItem[slot] = Int32(index)
                postingWeight[slot] = Float(weight)
                fill[bucket] += 1
            }
        }
        postingStart = starts
        self.postingItem = postingItem
        self.postingWeight = postingWeight
        byName = Dictionary(candidates.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        byModel = Dictionary(grouping: candidates.indices) { candidates[$0].model }
        learned = model.map { LearnedEstimates($0, candidates: candidates) }
    }
}
