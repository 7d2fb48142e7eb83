import AssayCore

/// The simulator's pricing page: an HTML table laid out like providers' own pages
/// (model, then $ per 1M tokens for input, cached input and output).
enum PricingPage {
    static func html(zoo: Zoo) -> String {
        func price(_ sheet: PriceSheet, _ dimension: PriceDimension) -> String {
            "$" + Money.fixed(Double(sheet.rate(dimension)) / 1e9, digits: 3) + " / MTok"
        }
        let rows = zoo.models.map { model in
            "<tr><td class=\"model\">\(model.id)</td><td>\(price(model.price, .input))</td>"
                + "<td>\(price(model.price, .cachedInput))</td><td>\(price(model.price, .output))</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Simulated provider pricing</title></head>
            <body><h1>Pricing</h1><p>Prices per 1M tokens, USD. Reasoning tokens are billed as output.</p>
            <table id="pricing"><thead><tr><th>Model</th><th>Input</th><th>Cached input</th><th>Output</th></tr></thead>
            <tbody>
            \(rows)
            </tbody></table></body></html>
            """
    }
}
