import AssayCatalogFormat
import AssayCore
import Foundation

/// `catalog/index.html`: the catalog as one self-contained page: per task the pick, a chart of
/// quality against cost (log scale) with the Pareto frontier and effort curves, and a sortable
/// table. No network: the styles and the small sorting script are inline.
package enum CatalogHTML {
    package static func render(_ document: CatalogDocument) -> String {
        let colours = ModelColours(document)
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Assay catalog</title>
        <style>\(style)</style>
        </head>
        <body>
        <header>
        <h1>Assay catalog</h1>
        <p class="meta">Generated <b>\(escape(document.generatedAt))</b> · content sha256 <code>\(escape(String(document.contentSha256.prefix(16))))</code> · margin <b>\(escape(Format.points(document.margin)))</b> · \(escape(Money.fixed(document.confidence * 100, digits: 0)))% confidence intervals</p>
        <p class="about">Quality is the mean score; cost per task is the mean cost of one answer at today's prices (reasoning included); cost per solved is total cost ÷ total score. The verdict compares each entry with the task's best, paired on the same items, the best's own uncertainty included: <i>non-inferior</i> when the posterior probability of being within the margin is at least 95%. The pick is the cheapest such entry that clears the quality floor; when none is certified, the cheapest of those most probably within the margin. Click a column header to sort.</p>
        </header>
        <nav>\(document.tasks.map { "<a href=\"#task-\(slug($0.task))\">\(escape($0.task))</a>" }.joined(separator: " "))</nav>

        """
        for section in document.tasks { html += renderSection(section, colours: colours) }
        html += "<script>\(script)</script>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Sections

    static func renderSection(_ section: CatalogDocument.TaskSection, colours: ModelColours) -> String {
        var html = "<section id=\"task-\(slug(section.task))\">\n<h2>\(escape(section.task))</h2>\n"
        html += "<p class=\"meta\">Suites: \(escape(section.suites.joined(separator: ", "))) · \(section.items) items · \(section.entries.count) entries</p>\n"
        if let pick = section.pick {
            html += "<p class=\"pick\"><span class=\"label\">Pick</span> <b>\(escape(pick.model)) @ \(escape(pick.effort))</b> — \(escape(pick.reason)).</p>\n"
        } else {
            html += "<p class=\"pick none\">No pick: no entry of this task has a quality.</p>\n"
        }
        let chart = Chart(section: section, colours: colours)
        html += "<div class=\"figure\">\n\(chart.svg())\n\(chart.legend())\n</div>\n"
        if !chart.notes.isEmpty {
            html += chart.notes.map { "<p class=\"note\">\($0)</p>\n" }.joined()
        }
        html += table(section, colours: colours)
        html += "</section>\n"
        return html
    }

    // MARK: - Table

    static func table(_ section: CatalogDocument.TaskSection, colours: ModelColours) -> String {
        let headers: [(String, Bool)] = [
            ("model", false), ("effort", false), ("quality", true), ("95% CI", true), ("verdict", false),
            ("Δ vs best (90% CI)", true), ("cost/task", true), ("cost/solved", true), ("reasoning tok", true),
            ("p50 ms", true), ("n", true), ("errors", true), ("flags", false),
        ]
        var html = "<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>"
        for (title, numeric) in headers {
            html += "<th tabindex=\"0\"\(numeric ? " data-type=\"num\" class=\"num\"" : "")>\(escape(title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for entry in section.entries {
            let isPick = section.pick.map { $0.model == entry.model && $0.effort == entry.effort } ?? false
            var cells: [String] = []
            let pickBadge = isPick ? " <span class=\"badge pickbadge\">pick</span>" : ""
            cells.append("<td><span class=\"swatch\" style=\"background:\(colours[entry.model])\"></span>\(escape(entry.model))\(pickBadge)</td>")
            cells.append("<td data-v=\"\(CatalogDocument.effortRank(entry.effort))\">\(escape(entry.effort))</td>")
            cells.append(numberCell(entry.quality, text: entry.quality.map(Format.percent)))
            if let ci = entry.qualityCi, ci.count == 2 {
                cells.append(numberCell(ci[0], text: "\(Format.percent(ci[0]))–\(Format.percent(ci[1]))", extraClass: "dim"))
            } else {
                cells.append(numberCell(nil, text: nil))
            }
            let verdict = entry.verdict?.rawValue ?? "—"
            if let more = entry.comparison?.itemsToSettle {
                cells.append("<td><span class=\"verdict v-\(slug(verdict))\">\(escape(verdict))</span> <span class=\"dim small\" title=\"at the observed variance, about \(more) more shared items would settle the verdict\">~\(more) more items</span></td>")
            } else {
                cells.append("<td><span class=\"verdict v-\(slug(verdict))\">\(escape(verdict))</span></td>")
            }
            if let comparison = entry.comparison, comparison.differenceCi.count == 2 {
                let text = "\(points(comparison.meanDifference)) <span class=\"dim\">(\(points(comparison.differenceCi[0])) … \(points(comparison.differenceCi[1])))</span>"
                cells.append("<td class=\"num\" data-v=\"\(number(comparison.meanDifference, digits: 6))\" title=\"paired on \(comparison.sharedItems) shared items\">\(text)</td>")
            } else if entry.verdict == .best {
                cells.append("<td class=\"num\" data-v=\"0\">0.0</td>")
            } else {
                cells.append(numberCell(nil, text: nil))
            }
            cells.append("<td class=\"num\" data-v=\"\(entry.costPerTaskNusd)\">\(escape(entry.costPerTaskUsd))</td>")
            if let solved = entry.costPerSolvedNusd {
                cells.append("<td class=\"num\" data-v=\"\(solved)\">\(escape(Money(nanoUSD: solved).description))</td>")
            } else {
                cells.append(numberCell(nil, text: nil))
            }
            cells.append(numberCell(entry.reasoningTokensMean, text: Money.fixed(entry.reasoningTokensMean, digits: 0)))
            cells.append(numberCell(entry.latencyMsP50.map(Double.init), text: entry.latencyMsP50.map(String.init)))
            cells.append(numberCell(Double(entry.n), text: String(entry.n)))
            cells.append(numberCell(Double(entry.errors), text: String(entry.errors), extraClass: entry.errors > 0 ? "warn" : ""))
            var flags: [String] = []
            if entry.staleSuiteVersion { flags.append("old suite version") }
            if entry.priceChanged { flags.append("price changed") }
            if !entry.priced { flags.append("no price") }
            cells.append("<td>\(flags.map { "<span class=\"badge flag\">\(escape($0))</span>" }.joined(separator: " "))</td>")
            html += "<tr\(isPick ? " class=\"pickrow\"" : "")>\(cells.joined())</tr>\n"
        }
        html += "</tbody>\n</table></div>\n"
        return html
    }

    static func numberCell(_ value: Double?, text: String?, extraClass: String = "") -> String {
        let classes = ["num", extraClass].filter { !$0.isEmpty }.joined(separator: " ")
        guard let value, value.isFinite, let text else { return "<td class=\"\(classes)\" data-v=\"\">—</td>" }
        return "<td class=\"\(classes)\" data-v=\"\(number(value, digits: 6))\">\(escape(text))</td>"
    }

    /// Signed points without the word, for the compact Δ column.
    static func points(_ value: Double) -> String {
        (value >= 0 ? "+" : "−") + Money.fixed(abs(value) * 100, digits: 1)
    }

    // MARK: - Chart

    /// The quality-vs-cost chart of one task: log-scale cost on x, quality 0–100% on y.
    struct Chart {
        static let width = 640.0, height = 360.0
        static let left = 58.0, right = 18.0, top = 14.0, bottom = 48.0
        var plotLeft: Double { Self.left }
        var plotRight: Double { Self.width - Self.right }
        var plotTop: Double { Self.top }
        var plotBottom: Double { Self.height - Self.bottom }

        let section: CatalogDocument.TaskSection
        let colours: ModelColours
        /// Entries with a quality: the ones that can be drawn.
        let plotted: [CatalogDocument.Entry]
        /// Decades (powers of ten of dollars) at the ends of the x axis.
        let lowDecade: Int, highDecade: Int
        private(set) var notes: [String] = []

        init(section: CatalogDocument.TaskSection, colours: ModelColours) {
            self.section = section
            self.colours = colours
            plotted = section.entries.filter { $0.quality.map { $0.isFinite } ?? false }
            let positive = plotted.map(\.costPerTaskNusd).filter { $0 > 0 }.map { Double($0) / 1e9 }
            let zeroCost = plotted.filter { $0.costPerTaskNusd <= 0 }
            var low: Int, high: Int
            if let minimum = positive.min(), let maximum = positive.max() {
                low = Int(log10(minimum).rounded(.down))
                high = Int(log10(maximum).rounded(.up))
                if high <= low { high = low + 1 }
                // Room left of the cheapest priced entry for the ones clamped to the edge.
                if !zeroCost.isEmpty { low -= 1 }
            } else {
                low = -7
                high = -4
            }
            lowDecade = low
            highDecade = high
            if !zeroCost.isEmpty {
                let names = zeroCost.map { escape($0.key.description) }.joined(separator: ", ")
                notes.append("Cost $0 cannot go on a log axis: \(names) \(zeroCost.count == 1 ? "is" : "are") drawn at \(escape(Self.tickLabel(low))), the left edge, with a hollow marker.")
            }
            let unmeasured = section.entries.count - plotted.count
            if unmeasured > 0 {
                notes.append("\(unmeasured) \(unmeasured == 1 ? "entry has" : "entries have") no quality (no answered samples) and \(unmeasured == 1 ? "is" : "are") not plotted.")
            }
        }

        /// x of a cost; $0 (and anything below the axis) is clamped to the left edge.
        func x(_ nanoUSD: Int64) -> Double {
            nanoUSD > 0 ? xLog(log10(Double(nanoUSD) / 1e9)) : plotLeft
        }

        /// x of log10(dollars), clamped to the axis.
        func xLog(_ decades: Double) -> Double {
            let fraction = (decades - Double(lowDecade)) / Double(highDecade - lowDecade)
            guard fraction.isFinite else { return plotLeft }
            return plotLeft + min(1, max(0, fraction)) * (plotRight - plotLeft)
        }

        func y(_ quality: Double) -> Double {
            plotBottom - min(1, max(0, quality)) * (plotBottom - plotTop)
        }

        static func tickLabel(_ decade: Int) -> String {
            if decade >= 0 {
                var text = "1"
                for _ in 0..<decade { text += "0" }
                return "$" + text
            }
            return "$0." + String(repeating: "0", count: -decade - 1) + "1"
        }

        func svg() -> String {
            let w = Self.width, h = Self.height
            var out = "<svg class=\"chart\" viewBox=\"0 0 \(n(w)) \(n(h))\" width=\"\(n(w))\" height=\"\(n(h))\" role=\"img\" aria-label=\"quality against cost per task for \(escape(section.task))\">\n"
            out += "<rect class=\"plot\" x=\"\(n(plotLeft))\" y=\"\(n(plotTop))\" width=\"\(n(plotRight - plotLeft))\" height=\"\(n(plotBottom - plotTop))\"/>\n"
            // y grid and labels: every 20%.
            for step in 0...5 {
                let quality = Double(step) / 5
                let yy = y(quality)
                out += "<line class=\"grid\" x1=\"\(n(plotLeft))\" y1=\"\(n(yy))\" x2=\"\(n(plotRight))\" y2=\"\(n(yy))\"/>"
                out += "<text class=\"tick\" x=\"\(n(plotLeft - 6))\" y=\"\(n(yy + 4))\" text-anchor=\"end\">\(step * 20)%</text>\n"
            }
            // x grid: a line per decade, minor marks at 2…9, a label per decade (every other when crowded).
            let decades = highDecade - lowDecade
            let labelEvery = decades > 7 ? 2 : 1
            for decade in lowDecade...highDecade {
                let xd = xLog(Double(decade))
                out += "<line class=\"grid\" x1=\"\(n(xd))\" y1=\"\(n(plotTop))\" x2=\"\(n(xd))\" y2=\"\(n(plotBottom))\"/>"
                if (decade - lowDecade) % labelEvery == 0 || decade == highDecade {
                    out += "<text class=\"tick\" x=\"\(n(xd))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(escape(Self.tickLabel(decade)))</text>"
                }
                out += "\n"
                guard decade < highDecade else { continue }
                for multiple in 2...9 {
                    let xm = xLog(Double(decade) + log10(Double(multiple)))
                    out += "<line class=\"minor\" x1=\"\(n(xm))\" y1=\"\(n(plotBottom))\" x2=\"\(n(xm))\" y2=\"\(n(plotBottom + 4))\"/>"
                }
                out += "\n"
            }
            // Axis titles.
            out += "<text class=\"axis\" x=\"\(n((plotLeft + plotRight) / 2))\" y=\"\(n(h - 8))\" text-anchor=\"middle\">cost per task (USD, log scale)</text>\n"
            out += "<text class=\"axis\" transform=\"translate(14 \(n((plotTop + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">quality (mean score)</text>\n"

            // Effort curves: thin lines joining each model's efforts.
            for curve in section.effortCurves where curve.points.count >= 2 {
                let coordinates = curve.points.filter(\.quality.isFinite).map { "\(n(x($0.costPerTaskNusd))),\(n(y($0.quality)))" }
                out += "<polyline class=\"effort\" stroke=\"\(colours[curve.model])\" points=\"\(coordinates.joined(separator: " "))\"><title>\(escape(curve.model)) effort curve: \(escape(curve.points.map(\.effort).joined(separator: " → ")))</title></polyline>\n"
            }
            // Pareto frontier, in the document's order (cheapest first).
            let frontier = section.frontier.compactMap { ref in plotted.first { $0.model == ref.model && $0.effort == ref.effort } }
            if frontier.count >= 2 {
                let coordinates = frontier.map { "\(n(x($0.costPerTaskNusd))),\(n(y($0.quality!)))" }
                out += "<polyline class=\"frontier\" points=\"\(coordinates.joined(separator: " "))\"><title>Pareto frontier: \(escape(section.frontier.map(\.name).joined(separator: " → ")))</title></polyline>\n"
            }
            // 95% CI bars.
            for entry in plotted {
                guard let ci = entry.qualityCi, ci.count == 2, ci[0].isFinite, ci[1].isFinite else { continue }
                let xx = x(entry.costPerTaskNusd), y0 = y(ci[0]), y1 = y(ci[1])
                out += "<path class=\"ci\" stroke=\"\(colours[entry.model])\" d=\"M\(n(xx)) \(n(y0))V\(n(y1))M\(n(xx - 3)) \(n(y0))h6M\(n(xx - 3)) \(n(y1))h6\"/>\n"
            }
            // The pick's ring, under the points.
            if let pick = section.pick, let entry = plotted.first(where: { $0.model == pick.model && $0.effort == pick.effort }) {
                out += "<circle class=\"pickring\" cx=\"\(n(x(entry.costPerTaskNusd)))\" cy=\"\(n(y(entry.quality!)))\" r=\"10\"><title>pick: \(escape(pick.name))</title></circle>\n"
            }
            // Points, with tooltips.
            for entry in plotted {
                let xx = x(entry.costPerTaskNusd), yy = y(entry.quality!)
                let colour = colours[entry.model]
                let free = entry.costPerTaskNusd <= 0
                var tip = "\(entry.name) · quality \(Format.percent(entry.quality!))"
                if let ci = entry.qualityCi, ci.count == 2 { tip += " (95% CI \(Format.percent(ci[0]))–\(Format.percent(ci[1])))" }
                tip += " · cost/task \(entry.costPerTaskUsd)"
                if free { tip += " (shown at \(Self.tickLabel(lowDecade)))" }
                if let verdict = entry.verdict { tip += " · \(verdict.rawValue)" }
                let fill = free ? "#fff" : colour
                out += "<circle class=\"pt\" cx=\"\(n(xx))\" cy=\"\(n(yy))\" r=\"4.5\" fill=\"\(fill)\" stroke=\"\(colour)\"><title>\(escape(tip))</title></circle>\n"
            }
            // Effort labels where they fit without covering a point or another label.
            for label in effortLabels() {
                out += "<text class=\"elabel\" x=\"\(n(label.x))\" y=\"\(n(label.y))\" text-anchor=\"\(label.anchor)\" fill=\"\(label.colour)\">\(escape(label.text))</text>\n"
            }
            out += "</svg>"
            return out
        }

        struct Label {
            var x: Double, y: Double, anchor: String, text: String, colour: String
        }

        struct Box {
            var x0: Double, y0: Double, x1: Double, y1: Double
            func overlaps(_ other: Box) -> Bool { x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1 }
        }

        /// Places each point's effort beside it, greedily: the pick and the frontier first, then
        /// the rest; a label that fits nowhere is left out (the point's tooltip still names it).
        func effortLabels() -> [Label] {
            let pointBoxes = plotted.map { entry in
                let xx = x(entry.costPerTaskNusd), yy = y(entry.quality!)
                return Box(x0: xx - 5.5, y0: yy - 5.5, x1: xx + 5.5, y1: yy + 5.5)
            }
            var taken: [Box] = []
            var labels: [Label] = []
            func rank(_ entry: CatalogDocument.Entry) -> Int {
                if let pick = section.pick, pick.model == entry.model, pick.effort == entry.effort { return 0 }
                return section.frontier.contains { $0.model == entry.model && $0.effort == entry.effort } ? 1 : 2
            }
            let ordered = plotted.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            let height = 10.0
            for (_, entry) in ordered {
                let xx = x(entry.costPerTaskNusd), yy = y(entry.quality!)
                let width = Double(entry.effort.count) * 5.6 + 2
                // (dx, baseline dy, anchor); the pick's ring needs a little more room.
                let gap = rank(entry) == 0 ? 14.0 : 7.0
                let candidates: [(Double, Double, String)] = [
                    (gap, 3.5, "start"), (gap - 1, -gap + 1, "start"), (gap - 1, gap + 8, "start"),
                    (-gap, 3.5, "end"), (-gap + 1, -gap + 1, "end"), (-gap + 1, gap + 8, "end"),
                    (0, -gap - 2, "middle"), (0, gap + 11, "middle"),
                ]
                for (dx, dy, anchor) in candidates {
                    let lx = xx + dx, baseline = yy + dy
                    let x0 = anchor == "start" ? lx : anchor == "end" ? lx - width : lx - width / 2
                    let box = Box(x0: x0, y0: baseline - height + 1, x1: x0 + width, y1: baseline + 2)
                    // Inside the plot, or spilling into the empty top and right margins.
                    guard box.x0 >= plotLeft + 1, box.x1 <= Self.width - 2, box.y0 >= 1, box.y1 <= plotBottom - 1 else { continue }
                    guard !taken.contains(where: box.overlaps), !pointBoxes.contains(where: box.overlaps) else { continue }
                    taken.append(box)
                    labels.append(Label(x: lx, y: baseline, anchor: anchor, text: entry.effort, colour: colours[entry.model]))
                    break
                }
            }
            return labels
        }

        /// The legend beside the chart: a swatch per model (with where its effort curve
        /// saturates), then the marks.
        func legend() -> String {
            var models: [String] = []
            for entry in section.entries where !models.contains(entry.model) { models.append(entry.model) }
            models.sort()
            var out = "<div class=\"legend\">\n<div class=\"legend-title\">Models</div>\n<ul>\n"
            for model in models {
                let curve = section.effortCurves.first { $0.model == model }
                let saturation = curve.map { c in
                    c.saturationEffort.map { " <span class=\"dim\">· saturates at \(escape($0))</span>" } ?? " <span class=\"dim\">· no saturation</span>"
                } ?? ""
                out += "<li><span class=\"swatch\" style=\"background:\(colours[model])\"></span>\(escape(model))\(saturation)</li>\n"
            }
            out += "</ul>\n<div class=\"legend-title\">Marks</div>\n<ul class=\"marks\">\n"
            out += "<li><span class=\"mark m-frontier\"></span>Pareto frontier</li>\n"
            out += "<li><span class=\"mark m-effort\"></span>efforts of one model</li>\n"
            out += "<li><span class=\"mark m-ci\"></span>95% CI of quality</li>\n"
            out += "<li><span class=\"mark m-pick\"></span>the pick</li>\n"
            if plotted.contains(where: { $0.costPerTaskNusd <= 0 }) {
                out += "<li><span class=\"mark m-free\"></span>cost $0 (at left edge)</li>\n"
            }
            out += "</ul>\n<p class=\"dim small\">Hover a point for its figures.</p>\n</div>"
            return out
        }

        func n(_ value: Double) -> String { number(value, digits: 1) }
    }

    /// A colour per model, the same in every task.
    struct ModelColours {
        static let palette = ["#1f77b4", "#e6550d", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                              "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#637939"]
        let colours: [String: String]

        init(_ document: CatalogDocument) {
            let models = Set(document.tasks.flatMap { $0.entries.map(\.model) }).sorted()
            var colours: [String: String] = [:]
            for (index, model) in models.enumerated() { colours[model] = Self.palette[index % Self.palette.count] }
            self.colours = colours
        }

        subscript(model: String) -> String { colours[model] ?? "#555" }
    }

    // MARK: - Text

    /// Escapes text for HTML element content and quoted attribute values.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// An id- and class-safe form of a name: lower-case letters, digits and `-` only.
    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) ? Character(scalar) : "-"
        }
        return String(mapped)
    }

    /// A finite number as plain decimal text; anything else as 0, so no `nan`/`inf` reaches the page.
    static func number(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var text = Money.fixed(value, digits: digits)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }


    // MARK: - Inline assets

    static let style = """
    :root{--ink:#1d2330;--dim:#5f6b7a;--line:#d9dee5;--bg:#fff;--soft:#f5f7fa;--accent:#0b5cad}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:1180px;padding:20px 24px 48px;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
    h1{font-size:24px;margin:0 0 4px}
    h2{font-size:19px;margin:0 0 2px}
    code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:1px 4px;border-radius:3px}
    .meta{color:var(--dim);margin:2px 0 8px}
    .about{color:var(--dim);font-size:13px;max-width:900px;margin:4px 0 10px}
    nav{margin:6px 0 18px;font-size:13px}
    nav a{color:var(--accent);margin-right:12px;text-decoration:none}
    section{border-top:1px solid var(--line);padding-top:16px;margin-top:18px}
    .pick{background:#eef6ee;border:1px solid #bfdcbf;border-radius:6px;padding:7px 10px;margin:8px 0 12px}
    .pick.none{background:var(--soft);border-color:var(--line)}
    .pick .label{display:inline-block;background:#2e7d32;color:#fff;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;border-radius:3px;padding:1px 6px;margin-right:4px}
    .figure{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
    .chart{max-width:100%;height:auto;font-family:inherit}
    .chart .plot{fill:#fcfdfe;stroke:#aab3bf}
    .chart .grid{stroke:#e6eaef}
    .chart .minor{stroke:#aab3bf}
    .chart .tick{font-size:11px;fill:var(--dim)}
    .chart .axis{font-size:12px;fill:var(--ink)}
    .chart .effort{fill:none;stroke-width:1.2;stroke-opacity:.55}
    .chart .frontier{fill:none;stroke:#222;stroke-width:1.6;stroke-dasharray:5 3}
    .chart .ci{stroke-width:1.2;stroke-opacity:.6;fill:none}
    .chart .pt{stroke-width:1.5}
    .chart .pickring{fill:#ffe9a8;fill-opacity:.55;stroke:#b8860b;stroke-width:2.2}
    .chart .elabel{font-size:10px;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
    .legend{font-size:13px;min-width:220px;max-width:440px;flex:1}
    .legend ul{list-style:none;margin:2px 0 10px;padding:0}
    .legend li{margin:3px 0;word-break:break-all}
    .legend-title{font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--dim)}
    .swatch{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:6px;vertical-align:-1px}
    .mark{display:inline-block;width:26px;height:12px;margin-right:6px;vertical-align:-1px;position:relative}
    .m-frontier{border-top:2px dashed #222;height:0;vertical-align:3px}
    .m-effort{border-top:1.5px solid #888;height:0;vertical-align:3px}
    .m-ci::before{content:"";position:absolute;left:12px;top:-1px;height:14px;border-left:1.5px solid #888}
    .m-pick::before{content:"";position:absolute;left:6px;top:-2px;width:14px;height:14px;border-radius:50%;border:2px solid #b8860b;background:#ffe9a8}
    .m-free::before{content:"";position:absolute;left:8px;top:1px;width:9px;height:9px;border-radius:50%;border:1.5px solid #555;background:#fff}
    .note{font-size:12.5px;color:#8a5a00;background:#fff8e6;border-left:3px solid #e0b04a;padding:4px 8px;margin:6px 0}
    .scroll{overflow-x:auto;margin-top:12px}
    table{border-collapse:collapse;font-size:12.5px;width:100%}
    th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
    th{background:var(--soft);font-weight:600;cursor:pointer;user-select:none;position:sticky;top:0}
    th:hover{background:#e9edf2}
    th[aria-sort=ascending]::after{content:" ▲";font-size:9px}
    th[aria-sort=descending]::after{content:" ▼";font-size:9px}
    .num{text-align:right;font-variant-numeric:tabular-nums}
    th.num{text-align:right}
    tr.pickrow td{background:#f3faf3}
    tbody tr:hover td{background:#f0f4f9}
    .dim{color:var(--dim)}
    .small{font-size:12px}
    .warn{color:#b3261e}
    .badge{display:inline-block;font-size:11px;border-radius:3px;padding:0 5px;margin-left:2px}
    .pickbadge{background:#2e7d32;color:#fff}
    .flag{background:#fff1d6;color:#7a4d00;border:1px solid #f0d08a}
    .verdict{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px}
    .v-best{background:#dbe9fb;color:#0b4a8f}
    .v-non-inferior{background:#dff3e0;color:#1f6b26}
    .v-inferior{background:#fbe0de;color:#9b1c14}
    .v-undecided{background:#eeeff2;color:#4a5361}
    """

    static let script = """
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, column) {
        function sort() {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var numeric = th.getAttribute("data-type") === "num";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          function key(row) {
            var cell = row.cells[column];
            var v = cell.getAttribute("data-v");
            if (v === null) v = cell.textContent.trim();
            return numeric ? (v === "" ? NaN : parseFloat(v)) : v;
          }
          rows.sort(function (a, b) {
            var x = key(a), y = key(b);
            if (numeric) {
              if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y);
              return ascending ? x - y : y - x;
            }
            var c = String(x).localeCompare(String(y), undefined, { numeric: true });
            return ascending ? c : -c;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      });
    });
    """
}
