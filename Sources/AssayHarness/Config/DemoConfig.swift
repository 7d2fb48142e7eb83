import AssayCore

/// The config `assay demo` points at the in-process simulator: every zoo model at every effort
/// it takes, priced as the zoo's pricing page says: scraped from it when `pricingURL` is given,
/// else written into the config.
public enum DemoConfig {
    public struct Model: Sendable {
        public var id: String
        public var efforts: [Effort]
        public var price: PriceSheet

        public init(id: String, efforts: [Effort], price: PriceSheet) {
            self.id = id
            self.efforts = efforts
            self.price = price
        }
    }

    public static func text(provider: String, port: Int, models: [Model], database: String, suites: String,
                            catalog: String, concurrency: Int, pricingURL: String? = nil, judge: String? = nil) -> String {
        var lines = [
            "# Written by 'assay demo': the built-in simulated zoo on port \(port).",
            "database: \(database)",
            "suites: \(suites)",
            "catalog: \(catalog)",
            "providers:",
            "  \(provider):",
            "    type: openai",
            "    base_url: http://127.0.0.1:\(port)/v1",
            "    timeout_seconds: 30",
            "    max_retries: 2",
            "models:",
        ]
        for model in models {
            let prices = model.price.nanoUSDPerMTok.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.rawValue): \"\(Money.fixed(Double($0.value) / 1e9, digits: 4))\"" }
            lines.append("  - id: \(provider)/\(model.id)")
            lines.append("    efforts: [\(model.efforts.map(\.rawValue).joined(separator: ", "))]")
            if pricingURL == nil { lines.append("    price: {\(prices.joined(separator: ", "))}") }
        }
        if let judge { lines.append("judge: \(provider)/\(judge)") }
        lines += ["run:", "  concurrency: \(concurrency)", "  epochs: 1", "  max_tokens: 32768"]
        if let pricingURL {
            lines += ["pricing:", "  sources:", "    - name: \(provider)-page", "      url: \(pricingURL)",
                      "      extractor: simulator", "      provider: \(provider)"]
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
