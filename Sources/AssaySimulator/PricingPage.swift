import AssayCore

/// The simulator's pricing page: an HTML table laid out like providers' own pages
/// (model, then $ per 1M tokens for input, cached input and output).
///
/// Variants (`/pricing?variant=…`) let tests watch the tracker react to a page that changes
/// under it: `jump` multiplies every price by 10, `layout` renames the table and its columns,
/// `missing` drops the last model.
enum PricingPage {
    enum Variant: String { case standard, jump, layout, missing }

    static func html(zoo: Zoo, variant: Variant = .standard) -> String {
        let factor: Int64 = variant == .jump ? 10 : 1
        func price(_ sheet: PriceSheet, _ dimension: PriceDimension) -> String {
            "$" + exact(sheet.rate(dimension) * factor) + " / MTok"
        }
        let models = variant == .missing ? Array(zoo.models.dropLast()) : zoo.models
        let rows = models.map { model in
            "<tr><td class=\"model\">\(model.id)</td><td>\(price(model.price, .input))</td>"
                + "<td>\(price(model.price, .cachedInput))</td><td>\(price(model.price, .output))</td></tr>"
        }.joined(separator: "\n")
        let table = variant == .layout
            ? "<table id=\"rates\"><thead><tr><th>Name</th><th>Prompt</th><th>Cache</th><th>Completion</th></tr></thead>"
            : "<table id=\"pricing\"><thead><tr><th>Model</th><th>Input</th><th>Cached input</th><th>Output</th></tr></thead>"
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Simulated provider pricing</title></head>
            <body><h1>Pricing</h1><p>Prices per 1M tokens, USD. Reasoning tokens are billed as output.</p>
            \(table)
            <tbody>
            \(rows)
            </tbody></table></body></html>
            """
    }

    /// Nano-dollars as exact decimal dollars with at least two decimals: `1250000000` → `1.25`.
    static func exact(_ nanos: Int64) -> String {
        var fraction = String(nanos % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(nanos / 1_000_000_000).\(fraction)"
    }
}
