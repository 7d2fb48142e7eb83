import AssayCore
import AssayProviders
import AssaySuites
import Foundation

/// Reads `assay.yaml`, reporting unknown keys and wrong types with line numbers, all at once.
public enum ConfigLoader {
    /// The largest config file read; past it the file is refused without being read whole.
    package static let maxFileBytes = 1 << 20

    public static func load(file: String) throws -> AssayConfig {
        switch CappedFile.read(file, limit: maxFileBytes) {
        case .data(let data):
            return try parse(String(decoding: data, as: UTF8.self), file: file)
        case .tooLarge(let limit):
            throw AssayError(.config, "the config file \(file) is larger than \(CappedFile.describe(limit)), the most a config may hold",
                             hint: "a config lists providers, models and sources; keep suites and price data in their own files")
        case .unreadable:
            throw AssayError(.config, "cannot read the config file \(file)",
                             hint: "run 'assay init' to write a commented example, or pass --config PATH")
        }
    }

    public static func parse(_ text: String, file: String) throws -> AssayConfig {
        let sink = DiagnosticSink(file: file)
        let config = read(text, file: file, sink: sink)
        try sink.throwIfFailed(code: .config)
        return config
    }

    static let topKeys = ["database", "suites", "catalog", "providers", "models", "efforts", "run", "catalog_options", "nightly", "pricing", "judge", "serve", "postgres"]

    static func read(_ text: String, file: String, sink: DiagnosticSink) -> AssayConfig {
        var config = AssayConfig(file: file, sha256: sha256Hex(text))
        guard let root = YAMLValue.parse(text, sink: sink), let map = root.mapping(allowed: topKeys) else { return config }
        if let value = map["database"]?.string() { config.database = value }
        if let value = map["suites"]?.string() { config.suites = value }
        if let value = map["catalog"]?.string() { config.catalog = value }
        if let value = map["efforts"] { config.efforts = efforts(value) ?? config.efforts }
        if let providersValue = map["providers"], case .mapping(let mapping) = providersValue.node {
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.string else { continue }
                let value = YAMLValue(node: valueNode, path: "providers.\(name)", sink: sink)
                if let settings = provider(name: name, value) { config.providers[name] = settings }
                if case .mapping(let fields) = valueNode, let discoverNode = fields.first(where: { $0.key.string == "discover" })?.value {
                    config.discovery[name] = discoveryRule(YAMLValue(node: discoverNode, path: "providers.\(name).discover", sink: sink))
                }
            }
        } else if let providersValue = map["providers"] {
            providersValue.error("expected a mapping of provider name to settings")
        }
        for value in map["models"]?.sequence() ?? [] {
            guard let entry = model(value) else { continue }
            if config.providers[entry.ref.provider] == nil {
                value.error("model '\(entry.ref)' names provider '\(entry.ref.provider)', which is not under 'providers'"
                    + (config.providers.isEmpty ? "" : " (configured: \(config.providers.keys.sorted().joined(separator: ", ")))"))
            }
            if config.models.contains(where: { $0.ref == entry.ref }) { value.error("model '\(entry.ref)' is listed twice") }
            if let parameter = entry.effortParameter, let kind = config.providers[entry.ref.provider]?.kind, !parameter.kinds.contains(kind) {
                value.error("model '\(entry.ref)': effort_param '\(parameter.rawValue)' is for \(parameter.kinds.map(\.rawValue).joined(separator: "/")) providers, but '\(entry.ref.provider)' is \(kind.rawValue)")
            }
            config.models.append(entry)
        }
        if let value = map["judge"], let text = value.string() {
            if let ref = ModelRef(text) {
                if config.providers[ref.provider] == nil {
                    value.error("judge '\(ref)' names provider '\(ref.provider)', which is not under 'providers'")
                }
                config.judge = ref
            } else {
                value.error("expected provider/model, found '\(text)'")
            }
        }
        if let run = map["run"]?.mapping(allowed: ["concurrency", "epochs", "max_tokens", "budget_usd", "sandboxes"]) {
            if let value = run["sandboxes"]?.int(in: 1...256) { config.sandboxes = value }
            if let value = run["concurrency"]?.int(in: 1...4096) { config.concurrency = value }
            if let value = run["epochs"]?.int(in: 1...100) { config.epochs = value }
            if let value = run["max_tokens"]?.int(in: 1...10_000_000) { config.maxTokens = value }
            if let text = run["budget_usd"]?.decimalText() { config.budget = Money(dollars: text) }
        }
        if let nightly = map["nightly"]?.mapping(allowed: ["budget_usd", "max_age_days"]) {
            if let text = nightly["budget_usd"]?.decimalText() { config.nightly.budget = Money(dollars: text) }
            if let days = nightly["max_age_days"]?.int(in: 1...3650) { config.nightly.maxAgeDays = days }
        }
        if let options = map["catalog_options"]?.mapping(allowed: ["margin", "min_quality"]) {
            if let margin = options["margin"]?.double() {
                if margin < 0 || margin > 1 { options["margin"]?.error("must be between 0 and 1 (a fraction: 0.02 = 2 points)") }
                config.margin = margin
            }
            if let floor = options["min_quality"]?.double() {
                if floor < 0 || floor > 1 { options["min_quality"]?.error("must be between 0 and 1 (a fraction: 0.3 = 30%)") }
                config.minQuality = floor
            }
        }
        if let pricing = map["pricing"] { config.pricing = PricingConfigParser.read(pricing, file: file) }
        if let serve = map["serve"] { ServeConfigParser.read(serve, into: &config.serve) }
        if let postgres = map["postgres"] { config.postgres = PostgresConfigParser.read(postgres) }
        return config
    }

    static func efforts(_ value: YAMLValue) -> [Effort]? {
        guard let items = value.sequence() else { return nil }
        var result: [Effort] = []
        for item in items {
            guard let text = item.string() else { continue }
            guard let effort = Effort(rawValue: text) else {
                item.error("unknown effort '\(text)'; use one of \(Effort.allowedValuesText)")
                continue
            }
            result.append(effort)
        }
        if items.isEmpty { value.error("give at least one effort") }
        return result
    }

    static let providerKeys = ["type", "base_url", "api_key_env", "timeout_seconds", "max_retries", "max_tokens_field", "effort_param",
                               "stream", "rpm", "tpm", "concurrency", "discover"]

    static func discoveryRule(_ value: YAMLValue) -> AssayConfig.DiscoveryRule? {
        guard let map = value.mapping(allowed: ["include", "exclude", "efforts"]) else { return nil }
        func patterns(_ key: String) -> [String] { (map[key]?.sequence() ?? []).compactMap { $0.string() } }
        var rule = AssayConfig.DiscoveryRule(include: patterns("include"), exclude: patterns("exclude"))
        if let efforts = map["efforts"] { rule.efforts = Self.efforts(efforts) }
        if rule.include.isEmpty { value.error("give 'include' patterns (e.g. [\"*\"]) for the models to queue") }
        return rule
    }

    static func provider(name: String, _ value: YAMLValue) -> ProviderSettings? {
        guard let map = value.mapping(allowed: providerKeys) else { return nil }
        let typeText = map["type"]?.string() ?? "openai"
        guard let kind = ProviderSettings.Kind(rawValue: typeText) else {
            map["type"]?.error("unknown provider type '\(typeText)'; this version supports: \(ProviderSettings.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let baseURL = map.required("base_url", hint: "e.g. https://api.openai.com/v1")?.string() else { return nil }
        if !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
            map["base_url"]?.error("must start with http:// or https://, found '\(baseURL)'")
        }
        var settings = ProviderSettings(name: name, kind: kind, baseURL: baseURL)
        if let env = map["api_key_env"]?.string() {
            if env.hasPrefix("sk-") || env.count > 64 {
                map["api_key_env"]?.error("this looks like a key, not the name of an environment variable; put the key in the environment and name the variable here")
            }
            settings.apiKeyEnv = env
        }
        if let seconds = map["timeout_seconds"]?.double() {
            if seconds <= 0 { map["timeout_seconds"]?.error("must be positive") }
            settings.timeoutSeconds = seconds
        }
        if let retries = map["max_retries"]?.int(in: 0...20) { settings.retry = RetryPolicy(maxAttempts: retries + 1) }
        if let field = map["max_tokens_field"]?.string() {
            if !["max_tokens", "max_completion_tokens"].contains(field) {
                map["max_tokens_field"]?.error("must be max_tokens or max_completion_tokens")
            }
            settings.maxTokensField = field
        }
        if let value = map["effort_param"], let parameter = effortParameter(value, kind: kind) { settings.effortParameter = parameter }
        if let stream = map["stream"]?.bool() { settings.stream = stream }
        settings.limits = RateLimits(requestsPerMinute: map["rpm"]?.int(in: 1...100_000_000),
                                     tokensPerMinute: map["tpm"]?.int(in: 1...100_000_000_000),
                                     concurrency: map["concurrency"]?.int(in: 1...4096))
        return settings
    }

    static func effortParameter(_ value: YAMLValue, kind: ProviderSettings.Kind?) -> EffortParameter? {
        guard let text = value.string() else { return nil }
        guard let parameter = EffortParameter(rawValue: text) else {
            value.error("unknown effort_param '\(text)'; use one of \(EffortParameter.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        if let kind, !parameter.kinds.contains(kind) {
            value.error("effort_param '\(text)' is for \(parameter.kinds.map(\.rawValue).joined(separator: "/")) providers, not \(kind.rawValue)")
            return nil
        }
        return parameter
    }

    static func model(_ value: YAMLValue) -> AssayConfig.ModelEntry? {
        if case .scalar = value.node {
            guard let text = value.string() else { return nil }
            guard let ref = ModelRef(text) else {
                value.error("expected provider/model, found '\(text)'")
                return nil
            }
            return AssayConfig.ModelEntry(ref: ref)
        }
        guard let map = value.mapping(allowed: ["id", "efforts", "price", "effort_param", "supported_efforts"]) else { return nil }
        guard let idValue = map.required("id", hint: "provider/model"), let text = idValue.string() else { return nil }
        guard let ref = ModelRef(text) else {
            idValue.error("expected provider/model, found '\(text)'")
            return nil
        }
        var entry = AssayConfig.ModelEntry(ref: ref)
        if let value = map["efforts"] { entry.efforts = efforts(value) }
        if let value = map["supported_efforts"] { entry.supportedEfforts = efforts(value) }
        if let value = map["effort_param"] { entry.effortParameter = effortParameter(value, kind: nil) }
        if let priceMap = map["price"]?.mapping(allowed: PriceDimension.allCases.map(\.rawValue)) {
            var prices: [PriceDimension: Int64] = [:]
            for (key, priceValue) in priceMap.entries {
                if let text = priceValue.decimalText(), let money = Money(dollars: text), let dimension = PriceDimension(rawValue: key) {
                    prices[dimension] = money.nanoUSD
                }
            }
            entry.price = PriceSheet(prices)
        }
        return entry
    }
}
