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

    /// Every candidate's estimate from `neighbours`, and how many of them it has scores for.
    ///
    /// Neighbour by neighbour over the item-major score rows, so the inner loop runs over one
    /// contiguous row of candidates; sums are kept in score units (× 254) and scaled once.
    func estimates(neighbours: [(item: Int, similarity: Float)], in table: TaskTable) -> (quality: [Double], used: [Int32]) {
        let width = table.candidates.count
        let prior = options.priorWeight
        var weighted = [Double](repeating: 0, count: width)
        var weights = [Double](repeating: 0, count: width)
        var used = [Int32](repeating: 0, count: width)
        table.scores.withUnsafeBufferPointer { scores in
            weighted.withUnsafeMutableBufferPointer { weighted in
                weights.withUnsafeMutableBufferPointer { weights in
                    used.withUnsafeMutableBufferPointer { used in
                        for neighbour in neighbours {
                            let similarity = Double(neighbour.similarity)
                            let row = UnsafeBufferPointer(rebasing: scores[(neighbour.item * width)..<((neighbour.item + 1) * width)])
                            for candidate in 0..<width {
                                let score = row[candidate]
                                let known = score != TaskTable.missing
                                weighted[candidate] += known ? similarity * Double(score) : 0
                                weights[candidate] += known ? similarity : 0
                                used[candidate] &+= known ? 1 : 0
                            }
                        }
                    }
                }
            }
        }
        var quality = [Double](repeating: 0, count: width)
        for candidate in 0..<width {
            let denominator = prior + weights[candidate]
            quality[candidate] = denominator > 0 ? (prior * table.quality[candidate] + weighted[candidate] / 254) / denominator
                                                 : table.quality[candidate]
        }
        return (quality, used)
    }
}
