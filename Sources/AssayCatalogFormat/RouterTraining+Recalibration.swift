import AssayCore
import Foundation

/// The recalibration maps' training (docs/router.md, "Recalibration"): every estimator's
/// predictions for items it did not see, paired with the scores those items got, pooled over
/// tasks. Items fall in `folds` by a stable hash of their key, or of their cluster (the learned estimator's folds);
/// each fold's predictions come from the other folds only, so no item calibrates itself.
extension RouterTraining {
    /// The router's nearest-items settings (`RouterOptions`' defaults: k, m and the similarity floor),
    /// which the cross-fitted estimates must match to calibrate what the router computes.
    package static let neighbours = 8
    package static let priorWeight = 2.0
    package static let minSimilarity = 0.05
    static let folds = 5

    /// Fits `router.recalibration` from cross-fitted predictions: nearest items and task quality
    /// from the entries' item scores here, prompt-logistic from its training's held-out pairs.
    /// An estimator with fewer than `Recalibration.minimumPairs` pairs ships no map.
    package static func recalibrate(_ router: inout CatalogDocument.RouterSection, tasks: [TaskItems] = [],
                                    sections: [CatalogDocument.TaskSection],
                                    logisticPairs: [(predicted: Double, observed: Double)]) {
        var nearest: [(predicted: Double, observed: Double)] = []
        var constant: [(predicted: Double, observed: Double)] = []
        let byTask = Dictionary(sections.map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })
        let foldKeys = Dictionary(tasks.map { ($0.task, $0.foldKeys) }, uniquingKeysWith: { first, _ in first })
        for task in router.tasks {
            guard let section = byTask[task.task] else { continue }
            let keys = foldKeys[task.task].flatMap { $0.count == task.items.count ? $0 : nil } ?? task.items.map(\.key)
            crossFit(task, foldKeys: keys, section: section, nearest: &nearest, constant: &constant)
        }
        let maps = [Recalibration.fit(.nearestItems, pairs: nearest), Recalibration.fit(.promptLogistic, pairs: logisticPairs),
                    Recalibration.fit(.taskQuality, pairs: constant)].compactMap { $0 }
        router.recalibration = maps.isEmpty ? nil : maps
    }

    /// One task's cross-fitted pairs. For an item in fold f: each entry's quality over the other
    /// folds' items (`constant`), and its nearest-items estimate from the other folds' items
    /// (`nearest`, only where a neighbour has a score for it: the router gives the others their
    /// task quality), made as `Estimator` makes it.
    static func crossFit(_ task: CatalogDocument.RouterTask, foldKeys: [String], section: CatalogDocument.TaskSection,
                         nearest: inout [(predicted: Double, observed: Double)],
                         constant: inout [(predicted: Double, observed: Double)]) {
        let fold = foldKeys.map { min(folds - 1, Int(StableHash.unit("prompt-logistic", $0) * Double(folds))) }
        let scored = section.entries.compactMap { entry -> [Int: Double]? in
            guard entry.quality != nil, let scores = entry.itemScores else { return nil }
            return Dictionary(zip(scores.items, scores.scores).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        }
        guard !scored.isEmpty else { return }
        // A feature in the signatures of many of the task's items is skipped, as the router skips it.
        var postings: [Int: Int] = [:]
        for item in task.items { for bucket in item.signature?.buckets ?? [] { postings[bucket, default: 0] += 1 } }
        let longest = max(64, task.items.count / 8)
        let vectors = task.items.map { item -> [Int: Double] in
            guard let signature = item.signature else { return [:] }
            return Dictionary(zip(signature.buckets, signature.values).filter { postings[$0.0, default: 0] <= longest }.map { ($0, $1) },
                              uniquingKeysWith: { first, _ in first })
        }
        for f in 0..<folds {
            let training = task.items.indices.filter { fold[$0] != f }
            let quality = scored.map { scores -> Double? in
                let values = training.compactMap { scores[$0] }
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            }
            for i in task.items.indices where fold[i] == f {
                var neighbours: [(item: Int, similarity: Double)] = []
                if let signature = task.items[i].signature {
                    for j in training {
                        let other = vectors[j]
                        guard !other.isEmpty else { continue }
                        var similarity = 0.0
                        for (bucket, value) in zip(signature.buckets, signature.values) { similarity += value * (other[bucket] ?? 0) }
                        if similarity >= minSimilarity { neighbours.append((j, similarity)) }
                    }
                    neighbours.sort { ($0.similarity, $1.item) > ($1.similarity, $0.item) }
                    neighbours = Array(neighbours.prefix(neighbours.count > Self.neighbours ? Self.neighbours : neighbours.count))
                }
                for (e, scores) in scored.enumerated() {
                    guard let observed = scores[i], let q = quality[e] else { continue }
                    constant.append((q, observed))
                    var weighted = 0.0, weights = 0.0
                    for neighbour in neighbours {
                        guard let score = scores[neighbour.item] else { continue }
                        weighted += neighbour.similarity * score
                        weights += neighbour.similarity
                    }
                    if weights > 0 { nearest.append(((priorWeight * q + weighted) / (priorWeight + weights), observed)) }
                }
            }
        }
    }
}
