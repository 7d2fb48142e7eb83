import AssayCore
import Foundation

/// `assay report` for a terminal: the totals, then one line per group.
public enum TrafficReportText {
    public static func render(_ report: TrafficReport) -> String {
        let totals = report.totals
        var lines = ["traffic \(report.fromDay) – \(report.toDay): \(totals.requests) requests"]
        lines.append("  spend     \(Money(nanoUSD: totals.spendNusd))")
        if totals.baselinePricedRequests > 0 {
            lines.append("  baseline  \(Money(nanoUSD: totals.baselineSpendNusd)) (the same \(totals.baselinePricedRequests) priced requests on the baseline model)")
            lines.append("  saved     \(TrafficReportHTML.savings(totals))")
        } else {
            lines.append("  baseline  – (set serve.baseline to a priced model to see savings)")
        }
        lines.append("  tokens    \(totals.inputTokens) in (\(totals.cachedInputTokens) cached), \(totals.outputTokens) out (\(totals.reasoningTokens) reasoning)")
        lines.append("  errors \(TrafficReportHTML.percent(totals.errorRate)), fallbacks \(TrafficReportHTML.percent(totals.fallbackRate)), latency p50 \(TrafficReportHTML.milliseconds(totals.latencyP50Ms)), p95 \(TrafficReportHTML.milliseconds(totals.latencyP95Ms)), p99 \(TrafficReportHTML.milliseconds(totals.latencyP99Ms))")
        lines.append("")
        let width = max(12, (report.groups.map(\.name.count).max() ?? 0) + 2)
        lines.append("by \(report.dimension.rawValue)".padding(toLength: width, withPad: " ", startingAt: 0) + "requests       spend    baseline       saved  errors")
        for group in report.groups {
            let figures = group.figures
            let baseline = figures.baselinePricedRequests > 0 ? Money(nanoUSD: figures.baselineSpendNusd).description : "–"
            let saved = figures.savingsShare.map { TrafficReportHTML.percent($0) } ?? "–"
            lines.append(group.name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + pad(String(figures.requests), 8) + pad(Money(nanoUSD: figures.spendNusd).description, 12)
                         + pad(baseline, 12) + pad(saved, 12) + pad(TrafficReportHTML.percent(figures.errorRate), 8))
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
