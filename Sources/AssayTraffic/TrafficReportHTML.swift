import AssayCore
import Foundation

/// `assay report --html`: one self-contained page (no scripts, no external files) a finance team
/// can open: spend against the baseline per day as an SVG chart, the totals, and the groups.
public enum TrafficReportHTML {
    public static func render(_ report: TrafficReport) -> String {
        let totals = report.totals
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Assay traffic report \(report.fromDay) – \(report.toDay)</title>
            <style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330}h1{font-size:1.5rem}
            .cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d8dce6;border-radius:8px;padding:.8rem 1rem;min-width:150px}
            .card b{display:block;font-size:1.35rem}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{padding:.3rem .6rem;border-bottom:1px solid #e6e8ef;text-align:right}
            th:first-child,td:first-child{text-align:left}.legend span{margin-right:1.2rem}.spend{color:#2364d2}.base{color:#c2410c}</style></head><body>
            <h1>Traffic \(escape(report.fromDay)) – \(escape(report.toDay))</h1>
            <div class="cards">
            <div class="card">spend<b>\(Money(nanoUSD: totals.spendNusd))</b></div>
            <div class="card">baseline spend<b>\(totals.baselinePricedRequests > 0 ? Money(nanoUSD: totals.baselineSpendNusd).description : "–")</b></div>
            <div class="card">saved<b>\(savings(totals))</b></div>
            <div class="card">requests<b>\(totals.requests)</b></div>
            <div class="card">errors<b>\(percent(totals.errorRate))</b></div>
            <div class="card">fallbacks<b>\(percent(totals.fallbackRate))</b></div>
            <div class="card">latency p50 / p99<b>\(milliseconds(totals.latencyP50Ms)) / \(milliseconds(totals.latencyP99Ms))</b></div>
            </div>
            <h2>Spend against the baseline, per day</h2>
            \(chart(report.days))
            <p class="legend"><span class="spend">■ spend</span><span class="base">■ baseline (the same requests on the baseline model)</span></p>
            <h2>By \(report.dimension.rawValue)</h2>
            \(table(report.groups))
            <h2>Decision mix</h2>
            \(table(report.decisionMix))
            </body></html>
            """
        html.append("\n")
        return html
    }

    static func chart(_ days: [TrafficReport.Group]) -> String {
        guard !days.isEmpty else { return "<p>No traffic in this period.</p>" }
        let (width, height, pad) = (1000.0, 280.0, 40.0)
        let top = Double(days.map { max($0.figures.spendNusd, $0.figures.baselineSpendNusd) }.max() ?? 1)
        let scale = top > 0 ? (height - 2 * pad) / top : 0
        let step = days.count > 1 ? (width - 2 * pad) / Double(days.count - 1) : 0
        func points(_ value: (TrafficReport.Figures) -> Int64) -> String {
            days.enumerated().map { index, day in
                String(format: "%.1f,%.1f", pad + Double(index) * step, height - pad - Double(value(day.figures)) * scale)
            }.joined(separator: " ")
        }
        var svg = "<svg role=\"img\" aria-label=\"spend against baseline per day\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\">"
        svg += "<line x1=\"\(pad)\" y1=\"\(height - pad)\" x2=\"\(width - pad)\" y2=\"\(height - pad)\" stroke=\"#8a90a0\"/>"
        svg += "<text x=\"\(pad)\" y=\"\(pad - 10)\" font-size=\"12\">\(Money(nanoUSD: Int64(top)))</text>"
        svg += "<polyline fill=\"none\" stroke=\"#c2410c\" stroke-width=\"2.5\" points=\"\(points(\.baselineSpendNusd))\"/>"
        svg += "<polyline fill=\"none\" stroke=\"#2364d2\" stroke-width=\"2.5\" points=\"\(points(\.spendNusd))\"/>"
        // Markers, so a single day (or a lone day with traffic) shows too.
        for (color, series) in [("#c2410c", points(\.baselineSpendNusd)), ("#2364d2", points(\.spendNusd))] {
            for point in series.split(separator: " ") {
                let xy = point.split(separator: ",")
                svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3.5\" fill=\"\(color)\"/>"
            }
        }
        for (index, day) in days.enumerated() where index % max(1, days.count / 8) == 0 || index == days.count - 1 {
            svg += "<text x=\(String(format: "\"%.1f\"", pad + Double(index) * step)) y=\"\(height - pad + 18)\" font-size=\"11\" text-anchor=\"middle\">\(escape(String(day.name.dropFirst(5))))</text>"
        }
        return svg + "</svg>"
    }

    static func table(_ groups: [TrafficReport.Group]) -> String {
        var html = "<table><tr><th></th><th>requests</th><th>spend</th><th>baseline</th><th>saved</th><th>errors</th><th>fallbacks</th><th>tokens in / out</th><th>p50</th><th>p99</th></tr>"
        for group in groups {
            let figures = group.figures
            html += "<tr><td>\(escape(group.name))</td><td>\(figures.requests)</td><td>\(Money(nanoUSD: figures.spendNusd))</td>"
            html += "<td>\(figures.baselinePricedRequests > 0 ? Money(nanoUSD: figures.baselineSpendNusd).description : "–")</td><td>\(savings(figures))</td>"
            html += "<td>\(percent(figures.errorRate))</td><td>\(percent(figures.fallbackRate))</td><td>\(figures.inputTokens) / \(figures.outputTokens)</td>"
            html += "<td>\(milliseconds(figures.latencyP50Ms))</td><td>\(milliseconds(figures.latencyP99Ms))</td></tr>"
        }
        return html + "</table>"
    }

    static func savings(_ figures: TrafficReport.Figures) -> String {
        guard let share = figures.savingsShare else { return "–" }
        return "\(Money(nanoUSD: figures.savingsNusd)) (\(percent(share)))"
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func milliseconds(_ value: Int?) -> String {
        guard let value else { return "–" }
        return value == .max ? "> 300 s" : "≤ \(value) ms"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
