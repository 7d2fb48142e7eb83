import AssayCatalogFormat

extension RouterSnapshot {
    /// Every entry's per-request quality estimate for `prompt` as an item of `task` (nearest
    /// items, shrunk towards the entry's task quality), by entry name: what a cascade's
    /// `estimate` check reads. Empty when the catalog has no such task.
    public func estimates(prompt: String, task: String) -> [String: Double] {
        let request = RouteRequest(prompt: prompt, model: "auto:" + task)
        let features = PromptFeatures.counts(prompt, spec: spec, sorted: false)
        guard let (inferred, query) = try? self.task(of: request, features: features) else { return [:] }
        let table = tables[inferred.index]
        let estimator = Estimator(options: options)
        let (estimates, _) = estimator.estimates(neighbours: estimator.neighbours(query: query, in: table), in: table)
        var byName: [String: Double] = [:]
        for (index, candidate) in table.candidates.enumerated() { byName[candidate.name] = estimates[index] }
        return byName
    }
}
