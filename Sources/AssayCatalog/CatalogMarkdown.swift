import AssayCatalogFormat
import AssayCore

/// `catalog/CATALOG.md`: the catalog as people read it.
package enum CatalogMarkdown {
    package static func render(_ document: CatalogDocument) -> String {
        var lines = [
            "# Assay catalog", "",
            "Generated \(document.generatedAt) · content sha256 `\(String(document.contentSha256.prefix(16)))` · "
                + "margin \(Format.points(document.margin)) · 95% confidence intervals.", "",
            "Quality is the mean score; cost per task is the mean cost of one answer at today's prices "
                + "(reasoning included); cost per solved is total cost ÷ total score. The verdict compares each "
                + "entry with the task's best, paired on the same items, the best's own uncertainty included: "
                + "non-inferior when the posterior probability of being within the margin is at least 95%, "
                + "inferior when it is at most 5%.", "",
        ]
        for section in document.tasks {
            lines.append("## \(section.task)")
            lines.append("")
            lines.append("Suites: \(section.suites.joined(separator: ", ")) · \(section.items) items")
            if let pick = section.pick { lines += ["", "**Pick: \(pick.model) @ \(pick.effort)**: \(pick.reason)."] }
            let frontier = section.frontier.map(\.name)
            if !frontier.isEmpty { lines += ["", "Frontier (cheapest first): \(frontier.joined(separator: " → "))"] }
            if !section.effortCurves.isEmpty { lines.append("") }
            for curve in section.effortCurves {
                let points = curve.points.map { "\($0.effort) \(Format.percent($0.quality))" }.joined(separator: ", ")
                lines.append("- Effort curve \(curve.model): \(points); saturates at \(curve.saturationEffort ?? "—")")
            }
            lines.append("")
            lines.append("| model | effort | quality | 95% CI | verdict | Δ vs best (90% CI) | cost/task | cost/solved | reasoning tok | p50 ms | n | errors | flags |")
            lines.append("|---|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|")
            for entry in section.entries {
                let quality = entry.quality.map(Format.percent) ?? "—"
                let ci = entry.qualityCi.map { "\(Format.percent($0[0]))–\(Format.percent($0[1]))" } ?? "—"
                let solved = entry.costPerSolvedNusd.map { Money(nanoUSD: $0).description } ?? "—"
                let reasoning = Money.fixed(entry.reasoningTokensMean, digits: 0)
                let p50 = entry.latencyMsP50.map(String.init) ?? "—"
                let delta = entry.comparison.map {
                    "\(Format.signedPoints($0.meanDifference)) (\(Format.signedPoints($0.differenceCi[0])) … \(Format.signedPoints($0.differenceCi[1])))"
                        + ($0.itemsToSettle.map { "; ~\($0) more items to settle" } ?? "")
                } ?? "—"
                var flags: [String] = []
                if entry.staleSuiteVersion { flags.append("old suite version") }
                if entry.priceChanged { flags.append("price changed (as run \(Money(nanoUSD: entry.costPerTaskAsRunNusd))/task)") }
                if !entry.priced { flags.append("no price") }
                lines.append("| \(entry.model) | \(entry.effort) | \(quality) | \(ci) | \(entry.verdict?.rawValue ?? "—") | \(delta) | \(entry.costPerTaskUsd) | \(solved) | \(reasoning) | \(p50) | \(entry.n) | \(entry.errors) | \(flags.joined(separator: ", ")) |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
