import AssayCatalogFormat
import AssayCore
import AssayStore
import Foundation

/// Turns stored samples into the catalog: per task, per model+effort statistics, paired
/// verdicts against the best entry, the Pareto frontier, effort curves and the pick.
///
/// Samples stream through `Accumulation` once; only per-entry sums and per-item totals are kept.
public struct CatalogBuilder: Sendable {
    public var margin: Double
    /// The floor under every pick: an entry is picked only when the lower bound of its 95%
    /// quality interval reaches it, so a task where nothing is shown to work has no pick.
    package var minQuality: Double = CatalogBuilder.defaultMinQuality
    package static let defaultMinQuality = 0.3
    public var prices: [ModelRef: PriceSheet]
    public var now: Date
    /// Content hashes of the suites' current versions; nil treats every version as current.
    public var currentSuites: Set<String>?
    /// Items' prompts, from the suite files: the router's classifier and item signatures.
    public var prompts: [ItemRef: String]
    /// Models' context windows in tokens (from discovery), for the router's context filter.
    public var contextWindows: [ModelRef: Int]

    public init(margin: Double = 0.02, prices: [ModelRef: PriceSheet], now: Date = Date(), currentSuites: Set<String>? = nil,
                prompts: [ItemRef: String] = [:], contextWindows: [ModelRef: Int] = [:]) {
        self.margin = margin
        self.prices = prices
        self.now = now
        self.currentSuites = currentSuites
        self.prompts = prompts
        self.contextWindows = contextWindows
    }

    public func build(facts: some Sequence<SampleFact>) -> CatalogDocument {
        var accumulation = Accumulation(builder: self)
        for fact in facts { accumulation.add(fact) }
        return accumulation.document()
    }

    /// The catalog built from every sample in `database`, in one streaming pass.
    public func build(database: AssayDatabase) throws -> CatalogDocument {
        var accumulation = Accumulation(builder: self)
        try database.forEachSampleFact { accumulation.add($0) }
        return accumulation.document()
    }

    /// Samples gathered per (task, model, effort, suite version), before versions are chosen.
    package struct Accumulation {
        struct PartKey: Hashable {
            var task: String
            var model: ModelRef
            var effort: String
            var suite: String
            var sha: String
            var version: Int

            func matches(_ fact: SampleFact) -> Bool {
                version == fact.suiteVersion && effort == fact.effort && model.model == fact.model && sha == fact.suiteSha256
                    && suite == fact.suite && task == fact.task && model.provider == fact.provider
            }
        }

        let builder: CatalogBuilder
        var parts: [PartKey: EntryAccumulator] = [:]
        /// The part being filled: samples arrive grouped by job, so most samples skip the
        /// dictionary and its hashing of seven strings.
        var current: (key: PartKey, accumulator: EntryAccumulator, price: PriceSheet?)?
        /// Items by integer id: the database row id when known, else a negative ordinal.
        var itemIDs: [ItemRef: Int64] = [:]
        var itemInfo: [Int64: (ref: ItemRef, cluster: String?)] = [:]

        init(builder: CatalogBuilder) { self.builder = builder }

        mutating func itemID(_ fact: SampleFact) -> Int64 {
            if let id = fact.itemID {
                if itemInfo[id] == nil { itemInfo[id] = (ItemRef(suite: fact.suite, item: fact.itemKey), fact.cluster) }
                return id
            }
            let ref = ItemRef(suite: fact.suite, item: fact.itemKey)
            if let id = itemIDs[ref] { return id }
            let id = -Int64(itemIDs.count + 1)
            itemIDs[ref] = id
            itemInfo[id] = (ref, fact.cluster)
            return id
        }

        package mutating func add(_ fact: SampleFact) {
            let item = itemID(fact)
            if var slot = current, slot.key.matches(fact) {
                current = nil   // keep the accumulator uniquely referenced while it grows
                slot.accumulator.add(fact, item: item, price: slot.price)
                current = slot
                return
            }
            flush()
            let key = PartKey(task: fact.task, model: fact.modelRef, effort: fact.effort, suite: fact.suite,
                              sha: fact.suiteSha256, version: fact.suiteVersion)
            var accumulator = parts.removeValue(forKey: key) ?? EntryAccumulator(model: key.model, effort: key.effort)
            let price = builder.prices[key.model]
            accumulator.add(fact, item: item, price: price)
            current = (key, accumulator, price)
        }

        mutating func flush() {
            guard let (key, accumulator, _) = current else { return }
            parts[key] = accumulator
            current = nil
        }

        /// Per (model, effort, suite): the current version's samples, or, when there are none,
        /// the newest older version's (flagged stale); merged per (task, model, effort).
        func selectedEntries() -> (entries: [String: [EntryAccumulator]], suites: [String: Set<String>]) {
            struct Group: Hashable { var task: String; var model: ModelRef; var effort: String; var suite: String }
            let groups = Dictionary(grouping: parts.keys) { Group(task: $0.task, model: $0.model, effort: $0.effort, suite: $0.suite) }
            var merged: [String: [String: EntryAccumulator]] = [:]
            var suites: [String: Set<String>] = [:]
            for (group, keys) in groups {
                var chosen = keys
                var stale = false
                if let current = builder.currentSuites {
                    let fresh = keys.filter { current.contains($0.sha) }
                    if fresh.isEmpty, let newest = keys.max(by: { ($0.version, parts[$0]!.newest) < ($1.version, parts[$1]!.newest) }) {
                        chosen = [newest]
                        stale = true
                    } else {
                        chosen = fresh
                    }
                }
                for key in chosen {
                    suites[key.task, default: []].insert("\(key.suite)@\(key.version)")
                    var part = parts[key]!
                    part.stale = part.stale || stale
                    let name = EntryKey(model: group.model.description, effort: group.effort).description
                    if merged[group.task]?[name] == nil { merged[group.task, default: [:]][name] = part } else { merged[group.task]![name]!.merge(part) }
                }
            }
            return (merged.mapValues { Array($0.values) }, suites)
        }

        package func document() -> CatalogDocument {
            var finished = self
            finished.flush()
            return finished.finishedDocument()
        }

        func finishedDocument() -> CatalogDocument {
            let (byTask, suitesByTask) = selectedEntries()
            // Items sharing a passage share a cluster number.
            var clusterNumbers: [String: Int] = [:]
            var clusters: [Int64: Int] = [:]
            for id in itemInfo.keys.sorted() {
                guard let info = itemInfo[id], let cluster = info.cluster else { continue }
                let name = info.ref.suite + "/" + cluster
                if clusterNumbers[name] == nil { clusterNumbers[name] = clusterNumbers.count }
                clusters[id] = clusterNumbers[name]
            }
            var routerTasks: [RouterTraining.TaskItems] = []
            let sections = byTask.keys.sorted().map { task in
                let order = itemOrder(byTask[task]!)
                routerTasks.append(.init(task: task, items: order.map { (key: itemInfo[$0]!.ref.key, prompt: builder.prompts[itemInfo[$0]!.ref]) },
                                         clusters: order.map { itemInfo[$0]!.cluster }))
                let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
                return builder.section(task: task, accumulators: byTask[task]!, suites: suitesByTask[task] ?? [], clusters: clusters,
                                       itemIndex: index)
            }
            var router = RouterTraining.section(tasks: routerTasks, prices: builder.prices, contextWindows: builder.contextWindows)
            RouterTraining.learnEstimators(&router, tasks: routerTasks, sections: sections, margin: builder.margin)
            return builder.finish(sections, router: router)
        }

        /// The task's items in a stable order (suite, item key, then row), whatever the hash seed.
        func itemOrder(_ accumulators: [EntryAccumulator]) -> [Int64] {
            var ids: Set<Int64> = []
            for accumulator in accumulators { ids.formUnion(accumulator.items.keys) }
            return ids.sorted { (itemInfo[$0]!.ref, $0) < (itemInfo[$1]!.ref, $1) }
        }
    }

    func finish(_ sections: [CatalogDocument.TaskSection], router: CatalogDocument.RouterSection?) -> CatalogDocument {
        var document = CatalogDocument(schemaVersion: CatalogDocument.currentSchemaVersion, generatedAt: "", contentSha256: "",
                                       margin: margin, confidence: 0.95, tasks: sections, router: router, minQuality: minQuality)
        // Hash the content without the time stamps, so the same measurements hash the same.
        var canonical = document
        for t in canonical.tasks.indices {
            for e in canonical.tasks[t].entries.indices { canonical.tasks[t].entries[e].ageDays = 0 }
        }
        document.contentSha256 = sha256Hex(Array((try? CatalogDocument.encoder().encode(canonical)) ?? Data()))
        document.generatedAt = ISO8601DateFormatter().string(from: now)
        return document
    }

    func section(task: String, accumulators: [EntryAccumulator], suites: Set<String>, clusters: [Int64: Int],
                 itemIndex: [Int64: Int]) -> CatalogDocument.TaskSection {
        var allItems: Set<Int64> = []
        var itemScores: [String: [Int64: Double]] = [:]
        var entries: [CatalogDocument.Entry] = []
        for accumulator in accumulators.sorted(by: { ($0.model.description, $0.effort) < ($1.model.description, $1.effort) }) {
            allItems.formUnion(accumulator.items.keys)
            var entry = accumulator.entry(now: now, pricedModel: !(prices[accumulator.model]?.isEmpty ?? true), clusters: clusters)
            let means = accumulator.itemMeans
            itemScores[entry.name] = means
            let indexed = means.compactMap { id, score in itemIndex[id].map { ($0, (score * 10_000).rounded() / 10_000) } }.sorted { $0.0 < $1.0 }
            entry.itemScores = .init(items: indexed.map(\.0), scores: indexed.map(\.1))
            entries.append(entry)
        }
        let best = Self.best(of: entries)
        // The decision rule: each entry's posterior probability of being within the margin of
        // the best, the best drawn per posterior sample.
        let probabilities = WithinMarginPosterior.probabilities(scores: entries.map { itemScores[$0.name] ?? [:] },
                                                                clusters: clusters, margin: margin, seed: task)
        for index in entries.indices { entries[index].probabilityWithinMargin = probabilities[index] }
        if let best, let bestScores = itemScores[best.name] {
            let bestQuality = entries.first { $0.model == best.model && $0.effort == best.effort }?.quality ?? 0
            for index in entries.indices {
                guard let quality = entries[index].quality else { continue }
                entries[index].withinMargin = quality >= bestQuality - margin - 1e-12
                if entries[index].model == best.model && entries[index].effort == best.effort {
                    entries[index].verdict = .best
                    continue
                }
                entries[index].verdict = Self.verdict(probabilityWithin: probabilities[index])
                guard let scores = itemScores[entries[index].name],
                      let difference = PairedStatistics.compare(scores, bestScores, clusters: clusters) else { continue }
                entries[index].comparison = .init(
                    sharedItems: difference.n, meanDifference: difference.mean, differenceCi: [difference.low, difference.high])
            }
            // How many more items like these would settle each undecided verdict, by the same rule.
            let undecided = Set(entries.indices.filter { entries[$0].verdict == .undecided && entries[$0].comparison != nil })
            let toSettle = WithinMarginPosterior.itemsToSettle(scores: entries.map { itemScores[$0.name] ?? [:] }, clusters: clusters,
                                                               margin: margin, seed: task, probabilities: probabilities,
                                                               undecided: undecided, items: allItems.count)
            for index in undecided { entries[index].comparison?.itemsToSettle = toSettle[index] }
        }
        let pick = CatalogQuery.choose(entries, objective: .cheapest, best: best, floor: minQuality, margin: margin)
        entries.sort { ($0.quality ?? -1, -$0.costPerTaskNusd, $1.model, $1.effort) > ($1.quality ?? -1, -$1.costPerTaskNusd, $0.model, $0.effort) }
        return CatalogDocument.TaskSection(
            task: task, suites: suites.sorted(), items: allItems.count, best: best,
            pick: pick.map { .init(model: $0.entry.model, effort: $0.entry.effort, reason: $0.reason, certified: $0.certified,
                                   probabilityWithinMargin: $0.entry.probabilityWithinMargin) },
            frontier: Frontier.pareto(entries),
            effortCurves: Frontier.effortCurves(entries, itemScores: itemScores, clusters: clusters),
            entries: entries,
            noPickReason: pick == nil && best != nil ? CatalogQuery.belowFloor(entries, best: best!, floor: minQuality) : nil)
    }

    /// Non-inferior when the posterior probability of being within the margin of the best is at
    /// least the confidence (95%), inferior when it is at most 1 − confidence, else undecided.
    static func verdict(probabilityWithin: Double?) -> Verdict {
        guard let p = probabilityWithin else { return .undecided }
        if p >= CatalogQuery.confidence - 1e-12 { return .nonInferior }
        if p <= 1 - CatalogQuery.confidence + 1e-12 { return .inferior }
        return .undecided
    }

    /// The entry with the highest quality; ties go to the cheaper one, then by name.
    static func best(of entries: [CatalogDocument.Entry]) -> CatalogDocument.EntryRef? {
        entries.filter { $0.quality != nil }
            .max { ($0.quality!, -$0.costPerTaskNusd, $1.model, $1.effort) < ($1.quality!, -$1.costPerTaskNusd, $0.model, $0.effort) }
            .map { .init(model: $0.model, effort: $0.effort) }
    }
}
