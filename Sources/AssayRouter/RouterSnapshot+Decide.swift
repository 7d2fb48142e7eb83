import AssayCatalog
import Foundation

extension RouterSnapshot {
    /// Routes one request: infers its task, estimates each candidate's quality on it, applies the
    /// objective and constraints, keeps a conversation on its cached model when that is cheaper,
    /// and orders fallbacks. Pure and thread-safe; microseconds per call.
    public func decide(_ request: RouteRequest) throws(RoutingError) -> Decision {
        let features = PromptFeatures.counts(request.prompt, spec: spec, sorted: false)
        let inferred = try task(of: request, features: features)
        let table = tables[inferred.index]
        let estimator = Estimator(options: options)
        let query = query(features)
        let neighbours = estimator.neighbours(query: query, in: table)
        let needed = request.contextNeeded
        let (eligible, tooLong) = eligibility(request, table: table, contextNeeded: needed)
        let objective = request.objective ?? options.defaultObjective
        guard eligible.contains(true) else {
            let context = tooLong.isEmpty ? "" : ", \(tooLong.count) with a context window under the request's \(needed) tokens"
            throw RoutingError(.noCandidate, "no entry for task '\(table.task)' is healthy and meets the constraints "
                                + "(\(table.candidates.count) measured, \(request.excluded.count) excluded\(context))")
        }
        var (estimates, used) = estimator.estimates(neighbours: neighbours, in: table)
        var plausible: [Decision.TaskShare]?
        if let posterior = inferred.posterior, inferred.confidence < options.uncertainBelow {
            plausible = mix(&estimates, posterior: posterior, top: inferred.index, query: query, estimator: estimator)
        }
        let ranking = Ranking(objective: objective, margin: margin, table: table, estimates: estimates, eligible: eligible)
        var order = ranking.top(options.maxFallbacks + 1)
        var sticky = false
        if let session = request.session,
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
            taskQuality: candidate.quality, costPerTaskNusd: candidate.costNusd, neighbours: Int(used[chosen]), sticky: sticky,
            candidates: ranking.eligibleCount, plausibleTasks: plausible,
            contextExcluded: tooLong.isEmpty ? nil : tooLong.map { table.candidates[$0].name },
            contextNeeded: tooLong.isEmpty ? nil : needed,
            fallbacks: fallbacks, reason: "", catalogSha256: catalogSha256)
        decision.reason = ranking.reason(for: decision, chosen: chosen, hash: catalogSha256)
        return decision
    }

    /// The task's table, where the task came from, and the confidence in it.
    /// The classifier's posterior over its tasks comes along when it decided.
    func task(of request: RouteRequest, features: (buckets: [Int32], counts: [Float])) throws(RoutingError)
        -> (index: Int, source: String, confidence: Double, posterior: [Double]?) {
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
            return (index, named.source, 1, nil)
        }
        if let inferred = classifier.classify(buckets: features.buckets, counts: features.counts),
           let index = tableIndex[classifier.tasks[inferred.task]] {
            return (index, "classifier", inferred.confidence, inferred.posterior)
        }
        if tables.count == 1 { return (0, "classifier", 1, nil) }
        throw RoutingError(.unknownTask, "cannot infer the task: the catalog has no classifier; use model 'auto:<task>'")
    }

    /// The prompt's signature, made as the items' are: its top features by tf-idf weight,
    /// L2-normalised (pruning only one side would deflate every similarity).
    func query(_ features: (buckets: [Int32], counts: [Float])) -> [(bucket: Int32, weight: Float)] {
        typealias Feature = (bucket: Int32, weight: Float)
        // Higher weight first, then the lower bucket.
        @inline(__always) func before(_ a: Feature, _ b: Feature) -> Bool {
            a.weight > b.weight || (a.weight == b.weight && a.bucket < b.bucket)
        }
        // The top features in a heap whose root is the worst kept: a prompt's ~600 features cost
        // one comparison each, and the few that enter cost log 32 moves.
        let size = RouterTraining.signatureSize
        var heap: [Feature] = []
        heap.reserveCapacity(size)
        idf.withUnsafeBufferPointer { idf in
            for (bucket, count) in zip(features.buckets, features.counts) {
                // Most features occur once: 1 + ln 1 = 1, no logarithm.
                let feature = (bucket: bucket, weight: (count == 1 ? 1 : 1 + logf(count)) * idf[Int(bucket)])
                if heap.count < size {
                    heap.append(feature)
                    var child = heap.count - 1
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
        }
        heap.sort(by: before)
        let norm = heap.reduce(Float(0)) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return [] }
        for index in heap.indices { heap[index].weight /= norm }
        return heap
    }

    /// Candidates not excluded, within the request's cost and latency limits and whose context
    /// window holds it; unpriced ones only when no priced one remains (they would always look
    /// cheapest). Also the candidates left out for their context window alone.
    func eligibility(_ request: RouteRequest, table: TaskTable, contextNeeded: Int) -> (eligible: [Bool], tooLong: [Int]) {
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
        return (eligible, tooLong)
    }
}
