import AssayCatalogFormat

extension RouterSnapshot {
    /// Every entry's per-request quality estimate for `prompt` as an item of `task`, by entry
    /// name: what a cascade's `estimate` check reads. Empty when the catalog has no such task.
    package func estimates(prompt: String, task: String) -> [String: Double] {
        (try? estimates(RouteRequest(prompt: prompt, model: "auto:" + task)))?.estimates ?? [:]
    }

    /// Every candidate's per-request estimate for `request` (by entry name), as `decide` makes them
    /// before the objective ranks them, without mixing over uncertain tasks: what `assay router
    /// eval` checks the estimators' calibration with. The task is the request's, or the classifier's.
    package func estimates(_ request: RouteRequest) throws(RoutingError) -> (task: String, estimates: [String: Double]) {
        let features = PromptFeatures.counts(request.prompt, spec: spec, sorted: false)
        let (inferred, query) = try task(of: request, features: features)
        let table = tables[inferred.index]
        var estimates: [Double]
        if let learned = table.learned {
            estimates = learned.estimates(PromptShape.vector(request.prompt, buckets: features.buckets, counts: features.counts))
            calibration.apply(&estimates, used: [], learned: true)
        } else {
            let estimator = Estimator(options: options)
            let made = estimator.estimates(neighbours: estimator.neighbours(query: query, in: table), in: table)
            estimates = made.quality
            calibration.apply(&estimates, used: made.used, learned: false)
        }
        return (table.task, Dictionary(zip(table.candidates.map(\.name), estimates), uniquingKeysWith: { first, _ in first }))
    }
}
