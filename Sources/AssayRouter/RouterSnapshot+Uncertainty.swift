extension RouterSnapshot {
    /// Replaces each candidate's estimate by its expected quality over the tasks the prompt may
    /// be: Σₜ P(t | prompt) · estimateₜ, over the tasks with a posterior of at least
    /// `RouterOptions.plausibleTask` (renormalised), each task's estimate made from its own nearest
    /// items as usual (or its learned estimator, where the snapshot uses one). A candidate not measured on a plausible task counts 0 there: nothing says
    /// it can do that task. Candidates stay the top task's entries, at its costs.
    ///
    /// Returns the tasks mixed, most probable first, or nil when only the top task is plausible.
    func mix(_ estimates: inout [Double], posterior: [Double], top: Int, query: [(bucket: Int32, weight: Float)],
             estimator: Estimator, shape: [Float]? = nil) -> [Decision.TaskShare]? {
        var shares: [(table: Int, task: String, probability: Double)] = []
        for (column, probability) in posterior.enumerated() where probability >= RouterOptions.plausibleTask {
            guard let index = tableIndex[classifier.tasks[column]] else { continue }
            shares.append((index, classifier.tasks[column], probability))
        }
        guard shares.count > 1, shares.contains(where: { $0.table == top }) else { return nil }
        shares.sort { ($0.probability, $1.task) > ($1.probability, $0.task) }
        let total = shares.reduce(0) { $0 + $1.probability }
        let table = tables[top]
        var mixed = [Double](repeating: 0, count: estimates.count)
        for share in shares {
            let weight = share.probability / total
            guard share.table != top else {
                for candidate in mixed.indices { mixed[candidate] += weight * estimates[candidate] }
                continue
            }
            let other = tables[share.table]
            var quality: [Double]
            if let shape, let learned = other.learned {
                quality = learned.estimates(shape)
                calibration.apply(&quality, used: [], learned: true)
            } else {
                let made = estimator.estimates(neighbours: estimator.neighbours(query: query, in: other), in: other)
                quality = made.quality
                calibration.apply(&quality, used: made.used, learned: false)
            }
            for candidate in mixed.indices where table.entry[candidate] >= 0 {
                let column = Int(other.columnByEntry[Int(table.entry[candidate])])
                if column >= 0 { mixed[candidate] += weight * quality[column] }
            }
        }
        estimates = mixed
        return shares.map { .init(task: $0.task, probability: $0.probability) }
    }
}
