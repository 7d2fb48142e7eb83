import AssayCore
import AssaySuites

/// Reads the `pricing:` section of `assay.yaml` (docs/pricing.md), every problem a diagnostic
/// with its line and key path.
enum PricingConfigParser {
    static let sectionKeys = ["max_change_factor", "sources"]
    static let sourceKeys = ["name", "type", "url", "file", "provider", "extractor", "max_change_factor"]
    static let extractorKeys = ["table", "layout", "header_rows", "model", "tier", "columns", "unit", "currency", "model_names", "aliases"]

    static func read(_ value: YAMLValue, file: String) -> PricingConfig {
        var config = PricingConfig()
        guard let map = value.mapping(allowed: sectionKeys) else { return config }
        if let factor = map["max_change_factor"].flatMap(factor) { config.maxChangeFactor = factor }
        for item in map["sources"]?.sequence() ?? [] {
            guard let source = source(item, file: file) else { continue }
            if config.sources.contains(where: { $0.name == source.name }) {
                item.error("a pricing source named '\(source.name)' is already declared")
                continue
            }
            config.sources.append(source)
        }
        return config
    }

    static func factor(_ value: YAMLValue) -> Double? {
        guard let number = value.double() else { return nil }
        guard number > 1 else {
            value.error("must be more than 1 (5 quarantines a price that moves more than 5× either way)")
            return nil
        }
        return number
    }

    static func source(_ value: YAMLValue, file: String) -> PriceSourceSpec? {
        guard let map = value.mapping(allowed: sourceKeys) else { return nil }
        guard let name = map.required("name", hint: "a short name such as 'anthropic-page'")?.string() else { return nil }
        let typeText = map["type"]?.string() ?? "html"
        guard let kind = PriceSourceSpec.Kind(rawValue: typeText) else {
            map["type"]?.error("unknown source type '\(typeText)'; use one of \(PriceSourceSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        var spec = PriceSourceSpec(name: name, kind: kind, declaredAt: "\(file):\(value.line ?? 0)")
        spec.url = map["url"]?.string()
        spec.file = map["file"]?.string()
        if let url = spec.url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            map["url"]?.error("must start with http:// or https://, found '\(url)'; use 'file' for a local file")
        }
        if (spec.url == nil) == (spec.file == nil) { value.error("give exactly one of 'url' or 'file'") }
        spec.provider = map["provider"]?.string()
        spec.maxChangeFactor = map["max_change_factor"].flatMap(factor)
        if let extractorValue = map["extractor"] {
            if kind != .html { extractorValue.error("only html sources take an extractor") }
            if case .scalar = extractorValue.node {
                if let builtIn = extractorValue.string() { spec.extractor = .builtIn(builtIn) }
            } else if let inline = extractor(extractorValue) {
                spec.extractor = .inline(inline)
                if spec.provider == nil { value.error("an inline extractor needs 'provider' (the part before / in model ids)") }
            }
        } else if kind == .html {
            value.error("an html source needs an 'extractor': a built-in name (simulator, anthropic, anthropic-batch, deepseek) or a mapping")
        }
        return spec
    }

    static func extractor(_ value: YAMLValue) -> HTMLExtractorSpec? {
        guard let map = value.mapping(allowed: extractorKeys) else { return nil }
        guard let table = map.required("table", hint: "an XPath such as //table[@id='pricing']")?.string(),
              let columnsValue = map.required("columns", hint: "dimension: header, e.g. {input: Input, output: Output}"),
              let columnsMap = columnsValue.mapping(allowed: HTMLExtractorSpec.dimensions) else { return nil }
        var columns: [String: [String]] = [:]
        for (dimension, headerValue) in columnsMap.entries {
            if case .sequence = headerValue.node { columns[dimension] = headerValue.stringList() } else if let header = headerValue.string() {
                columns[dimension] = [header]
            }
        }
        if columns.isEmpty { columnsValue.error("name at least one column") }
        var spec = HTMLExtractorSpec(table: table, columns: columns)
        if let text = map["layout"]?.string() {
            if let layout = HTMLExtractorSpec.Layout(rawValue: text) { spec.layout = layout } else {
                map["layout"]?.error("must be rows or columns")
            }
        }
        if let rows = map["header_rows"]?.int(in: 1...10) { spec.headerRows = rows }
        if let model = map["model"]?.string(allowEmpty: true) { spec.model = model }
        spec.tier = map["tier"]?.string()
        if let text = map["unit"]?.string() {
            if let unit = HTMLExtractorSpec.Unit(rawValue: text) { spec.unit = unit } else {
                map["unit"]?.error("unknown unit '\(text)'; use one of \(HTMLExtractorSpec.Unit.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let currency = map["currency"]?.string() {
            if currency.count == 3, currency.allSatisfy({ $0.isUppercase }) { spec.currency = currency } else {
                map["currency"]?.error("expected a three-letter ISO code such as USD or EUR")
            }
        }
        if let text = map["model_names"]?.string() {
            if let names = HTMLExtractorSpec.ModelNames(rawValue: text) { spec.modelNames = names } else {
                map["model_names"]?.error("must be slug or exact")
            }
        }
        if let aliases = map["aliases"], case .mapping(let mapping) = aliases.node {
            for (key, target) in mapping {
                if let from = key.string, let to = target.string { spec.aliases[from] = to }
            }
        }
        return spec
    }
}
