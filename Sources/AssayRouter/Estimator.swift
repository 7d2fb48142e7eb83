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
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: table.items + 1) { touched in
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
                                    // The first-seen list advances without a branch (whether an
                                    // item is new is a coin toss); its last slot is scratch, only
                                    // reached if zero weights list an item twice.
                                    let new = similarity[item] == 0 && touchedCount < table.items
                                    touched[min(touchedCount, table.items)] = Int32(item)
                                    touchedCount &+= new ? 1 : 0
                                    similarity[item] += weight * weights[slot]
                                }
                            }
                        }
                    }
                }
                let floor = Float(options.minSimilarity)
                return withUnsafeTemporaryAllocation(of: (item: Int, similarity: Float).self, capacity: k) { best in
                    var kept = 0
                    for index in 0..<touchedCount {
                        let item = Int(touched[index])
                        let value = similarity[item]
                        guard value >= floor else { continue }
                        if kept == k {
                            guard value > best[k - 1].similarity else { continue }
                            best[k - 1] = (item, value)
                        } else {
                            best[kept] = (item, value)
                            kept += 1
                        }
                        var position = kept - 1
                        while position > 0 && best[position - 1].similarity < value {
                            best.swapAt(position, position - 1)
                            position -= 1
                        }
                    }
                    return Array(best[..<kept])
                }
            }
        }
    }

    /// Every candidate's estimate from `neighbours`, and how many of them it has scores for.
    ///
    /// Neighbour by neighbour over the item-major score rows, so the inner loop runs branch-free
    /// over one contiguous row of candidates (the compiler vectorises it); sums are kept in score
    /// units (× 254) and scaled once. The candidates are taken in blocks of a few cache lines,
    /// every neighbour's row for one block before the next block, so the rows' cache misses (a
    /// 500-candidate table is megabytes) overlap instead of coming one row at a time; each
    /// candidate still adds its neighbours in the same order.
    func estimates(neighbours: [(item: Int, similarity: Float)], in table: TaskTable) -> (quality: [Double], used: [Int32]) {
        let width = table.candidates.count
        let prior = options.priorWeight
        var weighted = [Float](repeating: 0, count: width)
        var weights = [Float](repeating: 0, count: width)
        var used = [Int32](repeating: 0, count: width)
        table.scores.withUnsafeBufferPointer { scores in
            weighted.withUnsafeMutableBufferPointer { weighted in
                weights.withUnsafeMutableBufferPointer { weights in
                    used.withUnsafeMutableBufferPointer { used in
                        let block = 256
                        for first in stride(from: 0, to: width, by: block) {
                            let end = min(width, first + block)
                            for neighbour in neighbours {
                                precondition(neighbour.item >= 0 && (neighbour.item + 1) * width <= scores.count)
                                let similarity = neighbour.similarity
                                let row = scores.baseAddress! + neighbour.item * width
                                for candidate in first..<end {
                                    let score = row[candidate]
                                    let known: Int32 = score == TaskTable.missing ? 0 : 1
                                    let weight = similarity * Float(known)
                                    weighted[candidate] += weight * Float(score)
                                    weights[candidate] += weight
                                    used[candidate] &+= known
                                }
                            }
                        }
                    }
                }
            }
        }
        var quality = [Double](repeating: 0, count: width)
        for candidate in 0..<width {
            let denominator = prior + Double(weights[candidate])
            quality[candidate] = denominator > 0 ? (prior * table.quality[candidate] + Double(weighted[candidate]) / 254) / denominator
                                                 : table.quality[candidate]
        }
        return (quality, used)
    }
}
