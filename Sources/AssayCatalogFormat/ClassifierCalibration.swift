import Foundation

/// The temperature that makes the naive Bayes classifier's posterior honest, fitted on the
/// training prompts themselves, each classified by the classifier trained without it.
///
/// Naive Bayes multiplies the likelihoods of overlapping character n-grams, words and bigrams
/// as if they were independent, so every character's evidence is counted several times and the
/// posterior is almost always ~0 or ~1, wrong answers included. Dividing the log-scores by a
/// temperature T (temperature scaling) keeps the most probable task and spreads the posterior;
/// T minimises the log loss of the leave-one-out predictions, which naive Bayes gets exactly by
/// subtracting a prompt's own counts from its task's.
enum ClassifierCalibration {
    /// Prompts scored at most: a stride through larger training sets.
    static let maxPrompts = 2_000

    struct Prompt {
        var task: Int
        var buckets: [Int32]
        var counts: [Float]
    }

    /// `classCounts[task][bucket]` feature occurrences; `documents[task]` prompts per task.
    static func temperature(prompts: [Prompt], classCounts: [[Double]], documents: [Int], alpha: Double) -> Double {
        let tasks = classCounts.count
        guard tasks > 1, let buckets = classCounts.first?.count, buckets > 0 else { return 1 }
        let totals = classCounts.map { $0.reduce(0, +) }
        let allDocuments = documents.reduce(0, +)
        var logits: [[Double]] = []
        var labels: [Int] = []
        for index in stride(from: 0, to: prompts.count, by: max(1, prompts.count / maxPrompts)) {
            let prompt = prompts[index]
            // A task with no other prompt cannot be predicted without this one.
            guard documents[prompt.task] > 1 else { continue }
            let size = Double(prompt.counts.reduce(0, +))
            let scores = (0..<tasks).map { task -> Double in
                let own = task == prompt.task
                var score = log(Double(documents[task] - (own ? 1 : 0)) / Double(allDocuments - 1))
                let denominator = totals[task] - (own ? size : 0) + alpha * Double(buckets)
                for (bucket, count) in zip(prompt.buckets, prompt.counts) where Int(bucket) < buckets {
                    let seen = classCounts[task][Int(bucket)] - (own ? Double(count) : 0)
                    score += Double(count) * log((max(0, seen) + alpha) / denominator)
                }
                return score
            }
            logits.append(scores)
            labels.append(prompt.task)
        }
        guard !logits.isEmpty else { return 1 }
        func loss(_ logTemperature: Double) -> Double {
            let temperature = exp(logTemperature)
            var total = 0.0
            for (scores, label) in zip(logits, labels) {
                let top = scores.max()!
                let sum = scores.reduce(0) { $0 + exp(($1 - top) / temperature) }
                total += log(sum) - (scores[label] - top) / temperature
            }
            return total
        }
        // Golden-section search over ln T in [0, ln 10,000]: the loss is unimodal in T.
        var (low, high) = (0.0, log(10_000.0))
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var (lossA, lossB) = (loss(a), loss(b))
        for _ in 0..<60 {
            if lossA <= lossB {
                high = b
                (b, lossB) = (a, lossA)
                a = high - ratio * (high - low)
                lossA = loss(a)
            } else {
                low = a
                (a, lossA) = (b, lossB)
                b = low + ratio * (high - low)
                lossB = loss(b)
            }
        }
        return ((exp((low + high) / 2)) * 1_000).rounded() / 1_000
    }
}
