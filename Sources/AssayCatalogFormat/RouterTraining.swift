import AssayCore
import Foundation

/// Builds the catalog's router section from the tasks' items and prompts: document frequencies
/// (idf), the naive Bayes task classifier, and each item's signature (docs/router.md).
public enum RouterTraining {
    /// Features kept per item signature: enough to find neighbours, small enough for the file.
    package static let signatureSize = 32
    package static let smoothing = 0.1

    /// One task's items in their stable order, with each prompt when known.
    public struct TaskItems: Sendable {
        public var task: String
        public var items: [(key: String, prompt: String?)]
        /// Each item's cluster (items sharing a passage), in `items`' order, or empty: held-out folds
        /// keep a cluster together, as `assay router eval` does, so no item is calibrated on its passage's twins.
        public var clusters: [String?]

        public init(task: String, items: [(key: String, prompt: String?)], clusters: [String?] = []) {
            self.task = task
            self.items = items
            self.clusters = clusters
        }

        /// What each item's fold is hashed from: `cluster:<suite>/<name>` for a clustered item, else its key.
        var foldKeys: [String] {
            items.enumerated().map { index, item in
                guard index < clusters.count, let cluster = clusters[index] else { return item.key }
                return "cluster:" + (item.key.split(separator: "/").first.map(String.init) ?? "") + "/" + cluster
            }
        }
    }

    public static func section(tasks: [TaskItems], prices: [ModelRef: PriceSheet], contextWindows: [ModelRef: Int] = [:],
                               spec: FeatureSpec = FeatureSpec()) -> CatalogDocument.RouterSection {
        var counts: [String: (buckets: [Int32], counts: [Float])] = [:]
        var frequency: [Int: Int] = [:]
        var documents = 0
        var classes: [CatalogDocument.ClassifierClass] = []
        var calibration: [ClassifierCalibration.Prompt] = []
        var classCounts: [[Double]] = []
        for task in tasks {
            var taskCounts: [Int: Double] = [:]
            var dense = [Double](repeating: 0, count: spec.buckets)
            var taskDocuments = 0
            for item in task.items {
                guard let prompt = item.prompt else { continue }
                let features = PromptFeatures.counts(prompt, spec: spec)
                counts[item.key] = features
                documents += 1
                taskDocuments += 1
                calibration.append(.init(task: classes.count, buckets: features.buckets, counts: features.counts))
                for (bucket, count) in zip(features.buckets, features.counts) {
                    frequency[Int(bucket), default: 0] += 1
                    taskCounts[Int(bucket), default: 0] += Double(count)
                    dense[Int(bucket)] += Double(count)
                }
            }
            guard taskDocuments > 0 else { continue }
            classes.append(.init(task: task.task, documents: taskDocuments, featureCounts: sparse(taskCounts)))
            classCounts.append(dense)
        }
        let temperature = ClassifierCalibration.temperature(prompts: calibration, classCounts: classCounts,
                                                            documents: classes.map(\.documents), alpha: smoothing)
        let idf = { (bucket: Int) in inverseFrequency(documentFrequency: Double(frequency[bucket] ?? 0), documents: documents) }
        let routerTasks = tasks.map { task in
            CatalogDocument.RouterTask(task: task.task, items: task.items.map { item in
                .init(key: item.key, signature: counts[item.key].map { signature($0.buckets, $0.counts, idf: idf) })
            })
        }
        let modelPrices = prices.filter { !$0.value.isEmpty }.sorted { $0.key.description < $1.key.description }.map {
            CatalogDocument.ModelPrice(model: $0.key.description, inputNusdPerMtok: $0.value.rate(.input),
                                       cachedInputNusdPerMtok: $0.value.rate(.cachedInput))
        }
        let contexts = contextWindows.filter { $0.value > 0 }.sorted { $0.key.description < $1.key.description }.map {
            CatalogDocument.ModelContext(model: $0.key.description, contextTokens: $0.value)
        }
        return .init(features: spec, documents: documents, documentFrequency: sparse(frequency.mapValues { Double($0) }),
                     classifier: .init(alpha: smoothing, classes: classes, temperature: classes.count > 1 ? temperature : nil), tasks: routerTasks, prices: modelPrices,
                     contextWindows: contexts.isEmpty ? nil : contexts)
    }

    /// Trains each task's learned estimator from the entries' item scores (`sections`, built from
    /// the same items in the same order) and keeps it in the task's router entry. The router uses
    /// it (`router.estimator` names the tasks) only where, on the training items' out-of-fold
    /// predictions, its Brier score is at least `PromptLogistic.requiredImprovement` below the
    /// entries' task-level quality's and routing by it matches the task's pick in quality (the
    /// paired interval's low end within 1 point) at a lower cost (`PromptLogistic.tableCheck`).
    package static func learnEstimators(_ router: inout CatalogDocument.RouterSection, tasks: [TaskItems],
                                       sections: [CatalogDocument.TaskSection], margin: Double) {
        // The learned estimator's folds are hashed from the item key: give it the fold key instead.
        let items = Dictionary(tasks.map { task in (task.task, zip(task.items, task.foldKeys).map { (key: $1, prompt: $0.prompt) }) },
                               uniquingKeysWith: { first, _ in first })
        let byTask = Dictionary(sections.map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })
        var shipped: [String] = []
        var logisticPairs: [(predicted: Double, observed: Double)] = []
        for index in router.tasks.indices {
            let task = router.tasks[index].task
            guard let section = byTask[task], let taskItems = items[task] else { continue }
            let entries = section.entries.compactMap { entry -> PromptLogistic.EntryScores? in
                guard let quality = entry.quality, let scores = entry.itemScores else { return nil }
                return .init(entry: entry.name, quality: quality,
                             scores: Dictionary(zip(scores.items, scores.scores).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }),
                             costNusd: entry.costPerTaskNusd)
            }
            let table = section.pick.map { EntryKey(model: $0.model, effort: $0.effort).description } ?? section.best?.name
            guard let model = PromptLogistic.train(items: taskItems, entries: entries, spec: router.features, table: table,
                                                   margin: margin, heldOutPairs: &logisticPairs) else { continue }
            // Kept in the catalog for `assay router eval`; used by the router only where it pays.
            router.tasks[index].estimator = model
            if model.brier <= (1 - PromptLogistic.requiredImprovement) * model.constantBrier, model.tableCheck?.pays ?? false {
                shipped.append(task)
            }
        }
        router.estimator = shipped.isEmpty ? nil : .init(
            name: "prompt-logistic", tasks: shipped,
            reason: "on these tasks' items held out of its hardness fit, its Brier score is at least 10% below the entries' "
                + "task-level quality's and routing by it kept the task pick's quality (within 1 point) at a lower cost")
        recalibrate(&router, tasks: tasks, sections: sections, logisticPairs: logisticPairs)
    }

    /// Smoothed idf: ln((N + 1) / (df + 1)) + 1, so an unseen bucket weighs most, never infinitely.
    package static func inverseFrequency(documentFrequency: Double, documents: Int) -> Double {
        log(Double(documents + 1) / (documentFrequency + 1)) + 1
    }

    /// The top `signatureSize` features by (1 + ln tf) × idf, L2-normalised, rounded to 4 decimals.
    static func signature(_ buckets: [Int32], _ counts: [Float], idf: (Int) -> Double) -> SparseVector {
        var weighted = zip(buckets, counts).map { (bucket: Int($0), weight: (1 + log(Double($1))) * idf(Int($0))) }
        weighted.sort { ($0.weight, -$0.bucket) > ($1.weight, -$1.bucket) }
        let kept = weighted.prefix(signatureSize).sorted { $0.bucket < $1.bucket }
        let norm = kept.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return SparseVector() }
        return SparseVector(buckets: kept.map(\.bucket), values: kept.map { (($0.weight / norm) * 10_000).rounded() / 10_000 })
    }

    static func sparse(_ values: [Int: Double]) -> SparseVector {
        let keys = values.keys.sorted()
        return SparseVector(buckets: keys, values: keys.map { values[$0]! })
    }
}
