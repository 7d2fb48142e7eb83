import AssayCatalogFormat
import Foundation

extension RouterSnapshot {
    /// Routes one request: infers its task, estimates each candidate's quality on it, applies the
    /// objective and constraints, keeps a conversation on its cached model when that is cheaper,
    /// and orders fallbacks. Pure and thread-safe; microseconds per call.
    public func decide(_ request: RouteRequest) throws(RoutingError) -> Decision {
        let features = PromptFeatures.counts(request.prompt, spec: spec, sorted: false)
        let (inferred, query) = try task(of: request, features: features)
        let table = tables[inferred.index]
        let estimator = Estimator(options: options)
        let neighbours = estimator.neighbours(query: query, in: table)
        let needed = request.contextNeeded
        let fit = eligibility(request, table: table, contextNeeded: needed)
        let (eligible, tooLong) = (fit.eligible, fit.tooLong)
        let objective = request.objective ?? options.defaultObjective
        guard eligible.contains(true) else {
            let context = tooLong.isEmpty ? "" : ", \(tooLong.count) with a context window under the request's \(needed) tokens"
            throw RoutingError(.noCandidate, "no entry for task '\(table.task)' is healthy and meets the constraints "
                                + "(\(table.candidates.count) measured, \(request.excluded.count) excluded\(context))")
        }
        var (estimates, used) = estimator.estimates(neighbours: neighbours, in: table)
        let shape = anyLearned ? PromptShape.vector(request.prompt, buckets: features.buckets, counts: features.counts) : nil
        if let shape, let learned = table.learned { estimates = learned.estimates(shape) }
        calibration.apply(&estimates, used: used, learned: shape != nil && table.learned != nil)
        var plausible: [Decision.TaskShare]?
        let nearest = Double(neighbours.first?.similarity ?? 0)
        var unknown = unknownReason(inferred, nearest: nearest)
        let preferred = unknown == nil ? [] : unknownOrder(table: table, eligible: eligible)
        if preferred.isEmpty { unknown = nil }
        if unknown == nil, let posterior = inferred.posterior, inferred.confidence < options.uncertainBelow {
            plausible = mix(&estimates, posterior: posterior, top: inferred.index, query: query, estimator: estimator, shape: shape)
        }
        let ranking = Ranking(objective: objective, margin: margin, table: table, estimates: estimates, eligible: eligible)
        var order = unknown == nil ? ranking.top(options.maxFallbacks + 1) : preferred
        var sticky = false
        if unknown == nil, let session = request.session,
           let previous = table.byName[session.previous] ?? table.byModel[session.previous]?.first(where: { eligible[$0] }),
           eligible[previous], previous != order[0],
           ranking.shouldStay(on: previous, over: order[0], cachedTokens: session.cachedPromptTokens) {
            order.removeAll { $0 == previous }
            order.insert(previous, at: 0)
            sticky = true
        }
        let chosen = order[0]
        let candidate = table.candidates[chosen]
        let fallbacks = order.dropFirst().prefix(options.maxFallbacks).map {
            Decision.Choice(model: table.candidates[$0].model, effort: table.candidates[$0].effort,
                            estimatedQuality: estimates[$0], costPerTaskNusd: table.costNusd[$0])
        }
        var decision = Decision(
            model: candidate.model, effort: candidate.effort, task: table.task, taskSource: inferred.source,
            taskConfidence: inferred.confidence, objective: objective.name, estimatedQuality: estimates[chosen],
            taskQuality: candidate.quality, costPerTaskNusd: candidate.costNusd, neighbours: Int(used[chosen]), nearestSimilarity: (nearest * 1000).rounded() / 1000, sticky: sticky,
            candidates: ranking.eligibleCount, plausibleTasks: plausible,
            contextExcluded: tooLong.isEmpty ? nil : tooLong.map { table.candidates[$0].name },
            contextNeeded: tooLong.isEmpty ? nil : needed,
            tokensExcluded: fit.overBudget.isEmpty ? nil : fit.overBudget.map { table.candidates[$0].name },
            maxTokens: fit.overBudget.isEmpty && !fit.nothingFits ? nil : request.maxTokens,
            maxTokensUnmet: fit.nothingFits ? true : nil,
            unknownPolicy: unknown == nil ? nil : options.unknownPrompts.rule.name, unknownBecause: unknown,
            estimator: shape != nil && table.learned != nil ? "prompt-logistic" : nil,
            fallbacks: fallbacks, reason: "", catalogSha256: catalogSha256)
        decision.reason = ranking.reason(for: decision, chosen: chosen, hash: catalogSha256)
        return decision
    }

    typealias Inferred = (index: Int, source: String, confidence: Double, posterior: [Double]?)

    /// The task's table, where the task came from, and the confidence in it; and the prompt's
    /// signature (`query`), made in the same pass over its features as the classifier's scores.
    /// The classifier's posterior over its tasks comes along when it decided.
    func task(of request: RouteRequest, features: (buckets: [Int32], counts: [Float])) throws(RoutingError)
        -> (inferred: Inferred, query: [(bucket: Int32, weight: Float)]) {
        var named: (task: String, source: String)?
        if let model = request.model, model.hasPrefix("auto:") {
            named = (String(model.dropFirst(5)), "model")
        } else if let header = request.taskHeader, !header.isEmpty {
            named = (header, "header")
        }
        if let named {
            guard let index = tableIndex[named.task] else {
                throw RoutingError(.unknownTask, "unknown task '\(named.task)'; known tasks: \(taskNames.joined(separator: ", "))")
            }
            return ((index, named.source, 1, nil), query(features, classify: false).query)
        }
        let (query, verdict) = query(features, classify: true)
        if let verdict, let index = tableIndex[classifier.tasks[verdict.task]] {
            return ((index, "classifier", verdict.confidence, verdict.posterior), query)
        }
        if tables.count == 1 { return ((0, "classifier", 1, nil), query) }
        throw RoutingError(.unknownTask, "cannot infer the task: the catalog has no classifier; use model 'auto:<task>'")
    }

    /// The prompt's signature, made as the items' are: its top features by tf-idf weight,
    /// L2-normalised (pruning only one side would deflate every similarity). With `classify`, also
    /// the classifier's verdict, from the same rows.
    func query(_ features: (buckets: [Int32], counts: [Float]), classify: Bool)
        -> (query: [(bucket: Int32, weight: Float)], verdict: (task: Int, confidence: Double, posterior: [Double])?) {
        let count = min(features.buckets.count, features.counts.count)
        let width = classifier.tasks.count
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { weights in
            var verdict: (task: Int, confidence: Double, posterior: [Double])?
            features.buckets.withUnsafeBufferPointer { buckets in
                features.counts.withUnsafeBufferPointer { counts in
                    // Every feature's weight first, in a loop without data-dependent branches, so
                    // the table reads (mostly cache misses) overlap; the top features after.
                    if classify && width > 0 {
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { scores in
                            for task in 0..<width { scores[task] = classifier.logPrior[task] }
                            let (stride, rowCount) = (rows.stride, rows.buckets)
                            // Up to 15 tasks: a row is one 16-float vector and the scores a vector in
                            // registers (lane 0 sums idf, unused), so a feature is a few instructions
                            // and many rows' cache misses overlap.
                            if stride == 16 {
                                rows.withRows { base in
                                    var sums = SIMD16<Float>(repeating: 0)
                                    for task in 0..<width { sums[1 + task] = scores[task] }
                                    for index in 0..<count {
                                        let bucket = Int(buckets[index])
                                        precondition(bucket >= 0 && bucket < rowCount, "feature bucket out of range")
                                        let row = UnsafeRawPointer(base + bucket * 16).load(as: SIMD16<Float>.self)
                                        let hits = counts[index]
                                        // Most features occur once: 1 + ln 1 = 1, no logarithm.
                                        weights[index] = (hits == 1 ? 1 : 1 + logf(hits)) * row[0]
                                        sums += SIMD16(repeating: hits) * row
                                    }
                                    for task in 0..<width { scores[task] = sums[1 + task] }
                                }
                            } else {
                                rows.withRows { base in
                                    for index in 0..<count {
                                        let bucket = Int(buckets[index])
                                        precondition(bucket >= 0 && bucket < rowCount, "feature bucket out of range")
                                        let row = base + bucket * stride
                                        let hits = counts[index]
                                        weights[index] = (hits == 1 ? 1 : 1 + logf(hits)) * row[0]
                                        for task in 0..<width { scores[task] += hits * row[1 + task] }
                                    }
                                }
                            }
                            verdict = classifier.verdict(scores)
                        }
                    } else {
                        idf.withUnsafeBufferPointer { idf in
                            for index in 0..<count {
                                let hits = counts[index]
                                weights[index] = (hits == 1 ? 1 : 1 + logf(hits)) * idf[Int(buckets[index])]
                            }
                        }
                    }
                }
            }
            let query = features.buckets.withUnsafeBufferPointer { buckets in
                Self.top(UnsafeBufferPointer(rebasing: buckets[..<count]), UnsafeBufferPointer(weights))
            }
            return (query, verdict)
        }
    }

    /// The `RouterTraining.signatureSize` heaviest features (higher weight first, then the lower
    /// bucket), L2-normalised.
    static func top(_ buckets: UnsafeBufferPointer<Int32>, _ weights: UnsafeBufferPointer<Float>) -> [(bucket: Int32, weight: Float)] {
        typealias Feature = (bucket: Int32, weight: Float)
        // Higher weight first, then the lower bucket.
        @inline(__always) func before(_ a: Feature, _ b: Feature) -> Bool {
            a.weight > b.weight || (a.weight == b.weight && a.bucket < b.bucket)
        }
        let size = RouterTraining.signatureSize
        let count = min(buckets.count, weights.count)
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, count)) { listed in
            withUnsafeTemporaryAllocation(of: Feature.self, capacity: size) { heap in
                let found = shortlist(weights, count: count, size: size, into: listed)
                // A heap whose root is the worst kept: the shortlisted features cost one comparison
                // each, and the few that enter cost log 32 moves.
                var kept = 0
                for slot in 0..<found {
                    let index = Int(listed[slot])
                    let feature = (bucket: buckets[index], weight: weights[index])
                    if kept < size {
                        heap[kept] = feature
                        kept += 1
                        var child = kept - 1
                        while child > 0, before(heap[(child - 1) / 2], heap[child]) {
                            heap.swapAt(child, (child - 1) / 2)
                            child = (child - 1) / 2
                        }
                        continue
                    }
                    guard before(feature, heap[0]) else { continue }
                    heap[0] = feature
                    var parent = 0
                    while true {
                        let left = 2 * parent + 1
                        guard left < size else { break }
                        let worst = left + 1 < size && before(heap[left], heap[left + 1]) ? left + 1 : left
                        guard before(heap[parent], heap[worst]) else { break }
                        heap.swapAt(parent, worst)
                        parent = worst
                    }
                }
                // Best first (insertion sort: at most 32 features).
                for index in 1..<max(1, kept) {
                    let feature = heap[index]
                    var position = index
                    while position > 0 && before(feature, heap[position - 1]) {
                        heap[position] = heap[position - 1]
                        position -= 1
                    }
                    heap[position] = feature
                }
                var squares: Float = 0
                for index in 0..<kept { squares += heap[index].weight * heap[index].weight }
                let norm = squares.squareRoot()
                guard norm > 0 else { return [] }
                return (0..<kept).map { (bucket: heap[$0].bucket, weight: heap[$0].weight / norm) }
            }
        }
    }

    /// Writes the indices of the features that can be among the `size` heaviest to `listed`, in
    /// their order, and returns how many: most of a prompt's features are cut without a branch.
    ///
    /// Positive weights' bit patterns order as the weights do: a histogram of the top bits
    /// below the heaviest (16 bins per octave) finds the lightest bin that the `size` heaviest
    /// reach, and every feature in a lighter bin is lighter than all of them.
    static func shortlist(_ weights: UnsafeBufferPointer<Float>, count: Int, size: Int,
                          into listed: UnsafeMutableBufferPointer<Int32>) -> Int {
        var (lowest, highest) = (UInt32.max, UInt32(0))
        for index in 0..<count {
            let bits = weights[index].bitPattern
            lowest = min(lowest, bits)
            highest = max(highest, bits)
        }
        // Zero, negative, infinite or NaN weights (none from a valid catalog): list them all.
        guard count > size, lowest > 0, highest < Float.infinity.bitPattern else {
            for index in 0..<count { listed[index] = Int32(truncatingIfNeeded: index) }
            return count
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { histogram in
            histogram.initialize(repeating: 0)
            @inline(__always) func bin(_ bits: UInt32) -> Int { Int(min(255, (highest - bits) >> 19)) }
            for index in 0..<count { histogram[bin(weights[index].bitPattern)] += 1 }
            var (threshold, heavier) = (0, 0)
            while threshold < 255 {
                heavier += histogram[threshold]
                if heavier >= size { break }
                threshold += 1
            }
            var found = 0
            for index in 0..<count {
                listed[found] = Int32(truncatingIfNeeded: index)
                found &+= bin(weights[index].bitPattern) <= threshold ? 1 : 0
            }
            return found
        }
    }

    /// Candidates not excluded, within the request's cost and latency limits, whose context
    /// window holds it and whose measured output (reasoning + answer tokens) fits its
    /// `max_tokens`; unpriced ones only when no priced one remains (they would always look
    /// cheapest). When no otherwise eligible entry fits `max_tokens`, those with the smallest
    /// measured need stay (the answer most likely to finish; the reason says so).
    func eligibility(_ request: RouteRequest, table: TaskTable, contextNeeded: Int) -> Eligibility {
        var eligible = [Bool](repeating: true, count: table.candidates.count)
        for name in request.excluded {
            if let index = table.byName[name] { eligible[index] = false }
            for index in table.byModel[name] ?? [] { eligible[index] = false }
        }
        if let cap = request.maxCostNusd {
            for index in eligible.indices where table.costNusd[index] > cap { eligible[index] = false }
        }
        if let ceiling = request.maxLatencyMs {
            for index in eligible.indices where table.latencyP95[index] > ceiling { eligible[index] = false }
        }
        var tooLong: [Int] = []
        for index in eligible.indices where eligible[index] && table.contextTokens[index] > 0 && contextNeeded > table.contextTokens[index] {
            eligible[index] = false
            tooLong.append(index)
        }
        if table.anyPriced, eligible.indices.contains(where: { eligible[$0] && table.priced[$0] }) {
            for index in eligible.indices where !table.priced[index] { eligible[index] = false }
        }
        var overBudget: [Int] = []
        var nothingFits = false
        if let limit = request.maxTokens, limit > 0 {
            var bar = limit
            if !eligible.indices.contains(where: { eligible[$0] && table.tokensNeeded[$0] <= limit }) {
                nothingFits = true
                bar = eligible.indices.filter { eligible[$0] }.map { table.tokensNeeded[$0] }.min() ?? limit
            }
            for index in eligible.indices where eligible[index] && table.tokensNeeded[index] > bar {
                eligible[index] = false
                overBudget.append(index)
            }
        }
        return Eligibility(eligible: eligible, tooLong: tooLong, overBudget: overBudget, nothingFits: nothingFits)
    }

    /// Which candidates a request may go to, and why the others may not.
    struct Eligibility {
        var eligible: [Bool]
        /// Left out for their context window.
        var tooLong: [Int]
        /// Left out because their measured reasoning + answer tokens exceed `max_tokens`.
        var overBudget: [Int]
        /// No entry fits `max_tokens`: the ones with the smallest measured need were kept.
        var nothingFits: Bool
    }
}
