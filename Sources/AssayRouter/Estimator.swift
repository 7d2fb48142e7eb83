import Foundation

/// Per-request quality estimates: each candidate's mean score on the prompt's nearest suite
/// items, weighted by similarity and shrunk toward its task-level quality:
///
///     estimate = (m × quality + Σᵢ simᵢ × scoreᵢ) / (m + Σᵢ simᵢ)
///
/// over the k nearest items the candidate has a score for (m = `priorWeight`). A candidate with
/// no scored neighbour — a model just added to the catalog — gets its task-level quality.
struct Estimator {
    let options: RouterOptions

    /// The k most similar items to the query (cosine: both sides are L2-normalised), best first.
    func neighbours(query: [(bucket: Int32, weight: Float)], in table: TaskTable) -> [(item: Int, similarity: Float)] {
        let k = max(0, options.neighbours)
        guard table.items > 0, k > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: table.items) { similarity in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: table.items) { touched in
                similarity.initialize(repeating: 0)
                var touchedCount = 0
                // A feature shared by a large share of the task's items (a suite's template words)
                // says little about which of them are near, and walking it costs the most: skip it.
                let longest = max(64, table.items / 8)
                table.postingStart.withUnsafeBufferPointer { starts in
                    table.postingItem.withUnsafeBufferPointer { items in
                        table.postingWeight.withUnsafeBufferPointer { weights in
                            for (bucket, weight) in query where Int(bucket) + 1 < starts.count {
                                let (first, end) = (Int(starts[Int(bucket)]), Int(starts[Int(bucket) + 1]))
                                guard end - first <= longest else { continue }
                                for slot in first..<end {
                                    let item = Int(items[slot])
                                    if similarity[item] == 0 {
                                        touched[touchedCount] = Int32(item)
                                        touchedCount += 1
                                    }
                                    similarity[item] += weight * weights[slot]
                                }
                            }
                        }
                    }
                }
                var best: [(item: Int, similarity: Float)] = []
                best.reserveCapacity(k + 1)
                let floor = Float(options.minSimilarity)
                for index in 0..<touchedCount {
                    let item = Int(touched[index])
                    let value = similarity[item]
                    guard value >= floor, best.count < k || value > best[best.count - 1].similarity else { continue }
                    var position = best.count
                    while position > 0 && best[position - 1].similarity < value { position -= 1 }
                    best.insert((item, value), at: position)
                    if best.count > k { best.removeLast() }
                }
                return best
            }
        }
    }

    /// The estimate for `candidate` from `neighbours`, and how many of them it has scores for.
    func estimate(candidate: Int, neighbours: [(item: Int, similarity: Float)], in table: TaskTable) -> (quality: Double, used: Int) {
        let prior = options.priorWeight
        var numerator = prior * table.quality[candidate]
        var denominator = prior
        var used = 0
        let width = table.candidates.count
        for neighbour in neighbours {
            let score = table.scores.withUnsafeBufferPointer { $0[neighbour.item * width + candidate] }
            guard score != TaskTable.missing else { continue }
            numerator += Double(neighbour.similarity) * Double(score) / 254
            denominator += Double(neighbour.similarity)
            used += 1
        }
        return (denominator > 0 ? numerator / denominator : table.quality[candidate], used)
    }
}
