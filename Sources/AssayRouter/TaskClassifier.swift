import AssayCatalog
import Foundation

/// The catalog's naive Bayes task classifier, expanded into dense log-probability tables so a
/// prompt is classified with one pass over its features.
struct TaskClassifier: Sendable {
    let tasks: [String]
    let logPrior: [Float]
    /// log P(bucket | task), bucket-major: `logLikelihood[bucket * tasks.count + task]`.
    let logLikelihood: [Float]
    /// Posterior temperature (1 for catalogs without one).
    let temperature: Double

    init(_ classifier: CatalogDocument.Classifier, buckets: Int) {
        tasks = classifier.classes.map(\.task)
        temperature = max(1e-6, classifier.temperature ?? 1)
        let total = Double(classifier.classes.reduce(0) { $0 + $1.documents })
        logPrior = classifier.classes.map { Float(log(Double($0.documents) / max(1, total))) }
        var table = [Float](repeating: 0, count: buckets * tasks.count)
        for (column, taskClass) in classifier.classes.enumerated() {
            let counts = taskClass.featureCounts
            let denominator = counts.values.reduce(0, +) + classifier.alpha * Double(buckets)
            let unseen = Float(log(classifier.alpha / denominator))
            for bucket in 0..<buckets { table[bucket * tasks.count + column] = unseen }
            for (bucket, count) in zip(counts.buckets, counts.values) where bucket < buckets {
                table[bucket * tasks.count + column] = Float(log((count + classifier.alpha) / denominator))
            }
        }
        logLikelihood = table
    }

    /// The most probable task, its posterior probability, and every task's posterior (in `tasks`
    /// order); nil without classes.
    func classify(buckets: [Int32], counts: [Float]) -> (task: Int, confidence: Double, posterior: [Double])? {
        let width = tasks.count
        guard width > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { scores in
            for column in 0..<width { scores[column] = logPrior[column] }
            logLikelihood.withUnsafeBufferPointer { table in
                for (bucket, count) in zip(buckets, counts) {
                    let row = Int(bucket) * width
                    for column in 0..<width { scores[column] += count * table[row + column] }
                }
            }
            var best = 0
            for column in 1..<max(1, width) where scores[column] > scores[best] { best = column }
            var posterior = (0..<width).map { exp(Double(scores[$0] - scores[best]) / temperature) }
            let sum = posterior.reduce(0, +)
            for column in 0..<width { posterior[column] /= sum }
            return (best, 1 / sum, posterior)
        }
    }
}
