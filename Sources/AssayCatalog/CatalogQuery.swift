import AssayCore

/// Questions asked of a built catalog.
public enum CatalogQuery {
    /// The answer to `assay catalog best --task T`.
    public struct BestAnswer: Codable, Sendable {
        public var task: String
        public var model: String
        public var effort: String
        public var quality: Double
        public var qualityCi: [Double]?
        public var costPerTaskNusd: Int64
        public var costPerTaskUsd: String
        public var costPerSolvedNusd: Int64?
        public var n: Int
        public var margin: Double
        public var best: CatalogDocument.EntryRef
        public var bestQuality: Double
        public var reason: String
        public var catalogSha256: String
    }

    /// The cheapest entry within `margin` of the task's best (the catalog's own margin when nil).
    public static func best(in document: CatalogDocument, task: String, margin: Double? = nil) throws -> BestAnswer {
        guard let section = document.section(task) else {
            let known = document.taskNames.joined(separator: ", ")
            throw AssayError(.notFound, "unknown task '\(task)'",
                             hint: known.isEmpty ? "the catalog has no tasks yet; run 'assay run' then 'assay catalog build'"
                                                 : "known tasks: \(known)")
        }
        let margin = margin ?? document.margin
        let builder = CatalogBuilder(margin: margin, prices: [:])
        guard let (bestRef, pick) = Optional(builder.choose(section.entries)), let bestRef, let pick,
              let entry = section.entries.first(where: { $0.model == pick.model && $0.effort == pick.effort }),
              let bestEntry = section.entries.first(where: { $0.model == bestRef.model && $0.effort == bestRef.effort }) else {
            throw AssayError(.catalog, "task '\(task)' has no entry with a measured quality (every sample failed)",
                             hint: "check the run's errors with 'assay run' output, then rebuild the catalog")
        }
        return BestAnswer(task: task, model: entry.model, effort: entry.effort, quality: entry.quality ?? 0,
                          qualityCi: entry.qualityCi, costPerTaskNusd: entry.costPerTaskNusd, costPerTaskUsd: entry.costPerTaskUsd,
                          costPerSolvedNusd: entry.costPerSolvedNusd, n: entry.n, margin: margin, best: bestRef,
                          bestQuality: bestEntry.quality ?? 0, reason: pick.reason, catalogSha256: document.contentSha256)
    }
}
