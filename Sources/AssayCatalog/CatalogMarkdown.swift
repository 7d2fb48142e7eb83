import AssayCore

/// `catalog/CATALOG.md`: the catalog as people read it.
public enum CatalogMarkdown {
    public static func render(_ document: CatalogDocument) -> String {
        var lines = [
            "# Assay catalog", "",
            "Generated \(document.generatedAt) · content sha256 `\(String(document.contentSha256.prefix(16)))` · "
                + "margin \(Format.points(document.margin)) · 95% confidence intervals.", "",
            "Quality is the mean score; cost per task is the mean cost of one answer at today's prices "
                + "(reasoning included); cost per solved is total cost ÷ total score.", "",
        ]
        for section in document.tasks {
            lines.append("## \(section.task)")
            lines.append("")
            lines.append("Suites: \(section.suites.joined(separator: ", ")) · \(section.items) items")
            if let pick = section.pick { lines.append(""); lines.append("**Pick: \(pick.model) @ \(pick.effort)**: \(pick.reason).") }
            lines.append("")
            lines.append("| model | effort | quality | 95% CI | cost/task | cost/solved | reasoning tok | p50 ms | n | errors | within margin |")
            lines.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|:---:|")
            for entry in section.entries {
                let quality = entry.quality.map(Format.percent) ?? "—"
                let ci = entry.qualityCi.map { "\(Format.percent($0[0]))–\(Format.percent($0[1]))" } ?? "—"
                let solved = entry.costPerSolvedNusd.map { Money(nanoUSD: $0).description } ?? "—"
                let reasoning = Money.fixed(entry.reasoningTokensMean, digits: 0)
                let p50 = entry.latencyMsP50.map(String.init) ?? "—"
                lines.append("| \(entry.model) | \(entry.effort) | \(quality) | \(ci) | \(entry.costPerTaskUsd) | \(solved) | \(reasoning) | \(p50) | \(entry.n) | \(entry.errors) | \(entry.withinMargin ? "✓" : "") |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
