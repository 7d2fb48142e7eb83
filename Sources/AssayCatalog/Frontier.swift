import AssayCatalogFormat
import AssayCore

/// Pareto frontiers and effort curves of a task's entries.
enum Frontier {
    /// Entries that no cheaper (or equally cheap) entry matches in quality, cheapest first.
    static func pareto(_ entries: [CatalogDocument.Entry]) -> [CatalogDocument.EntryRef] {
        let measured = entries.filter { $0.quality != nil }
            .sorted { ($0.costPerTaskNusd, -$0.quality!) < ($1.costPerTaskNusd, -$1.quality!) }
        var frontier: [CatalogDocument.EntryRef] = []
        var bestSoFar = -Double.infinity
        for entry in measured where entry.quality! > bestSoFar + 1e-12 {
            frontier.append(.init(model: entry.model, effort: entry.effort))
            bestSoFar = entry.quality!
        }
        return frontier
    }

    /// Each model's quality and cost at each effort it was measured at (two or more), and the
    /// effort beyond which quality stops rising significantly.
    static func effortCurves(_ entries: [CatalogDocument.Entry], itemScores: [String: [Int64: Double]],
                             clusters: [Int64: Int]) -> [CatalogDocument.EffortCurve] {
        let byModel = Dictionary(grouping: entries.filter { $0.quality != nil }, by: \.model)
        return byModel.keys.sorted().compactMap { model in
            let points = byModel[model]!.sorted { CatalogDocument.effortRank($0.effort) < CatalogDocument.effortRank($1.effort) }
            guard points.count >= 2 else { return nil }
            var saturation: String?
            for (index, lower) in points.enumerated() {
                let beaten = points[(index + 1)...].contains { higher in
                    guard let higherScores = itemScores[higher.name], let lowerScores = itemScores[lower.name],
                          let difference = PairedStatistics.compare(higherScores, lowerScores, clusters: clusters) else { return false }
                    return difference.low > 0
                }
                if !beaten {
                    saturation = lower.effort
                    break
                }
            }
            return CatalogDocument.EffortCurve(
                model: model,
                points: points.map { .init(effort: $0.effort, quality: $0.quality!, costPerTaskNusd: $0.costPerTaskNusd) },
                saturationEffort: saturation)
        }
    }

}
