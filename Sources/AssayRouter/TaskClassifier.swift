import AssayCatalogFormat
import Foundation

/// The catalog's naive Bayes task classifier. Its log-likelihood table lives in the snapshot's
/// `FeatureRows`, next to each bucket's idf, so a prompt is classified in the same pass over its
/// features that makes its signature.
struct TaskClassifier: Sendable {
    let tasks: [String]
    let logPrior: [Float]
    /// Posterior temperature (1 for catalogs without one).
    let temperature: Double

    init(_ classifier: CatalogDocument.Classifier) {
        tasks = classifier.classes.map(\.task)
        temperature = max(1e-6, classifier.temperature ?? 1)
        let total = Double(classifier.classes.reduce(0) { $0 + $1.documents })
        logPrior = classifier.classes.map { Float(log(Double($0.documents) / max(1, total))) }
    }

    /// log P(bucket | task), bucket-major: `[bucket * tasks.count + task]`.
    static func logLikelihood(_ classifier: CatalogDocument.Classifier, buckets: Int) -> [Float] {
        let width = classifier.classes.count
        var table = [Float](repeating: 0, count: buckets * width)
        for (column, taskClass) in classifier.classes.enumerated() {
            let counts = taskClass.featureCounts
            let denominator = counts.values.reduce(0, +) + classifier.alpha * Double(buckets)
            let unseen = Float(log(classifier.alpha / denominator))
            for bucket in 0..<buckets { table[bucket * width + column] = unseen }
            for (bucket, count) in zip(counts.buckets, counts.values) where bucket < buckets {
                table[bucket * width + column] = Float(log((count + classifier.alpha) / denominator))
            }
        }
        return table
    }

    /// The most probable task, its posterior probability, and every task's posterior (in `tasks`
    /// order), from the log-scores (log prior + Σ count × log-likelihood); nil without classes.
    func verdict(_ scores: UnsafeMutableBufferPointer<Float>) -> (task: Int, confidence: Double, posterior: [Double])? {
        let width = tasks.count
        guard width > 0, scores.count >= width else { return nil }
        var best = 0
        for column in 1..<max(1, width) where scores[column] > scores[best] { best = column }
        var posterior = (0..<width).map { exp(Double(scores[$0] - scores[best]) / temperature) }
        let sum = posterior.reduce(0, +)
        for column in 0..<width { posterior[column] /= sum }
        return (best, 1 / sum, posterior)
    }
}
