import AssayCore
import AssaySuites
import Foundation

/// Reads a zoo profile, reporting every problem with line and key path.
enum ZooParser {
    static func parse(_ text: String, sink: DiagnosticSink) -> Zoo? {
        guard let root = YAMLValue.parse(text, sink: sink),
              let map = root.mapping(allowed: ["provider", "seed", "difficulty_slope", "effort_gain", "latency_ms", "models",
                                                   "item_correlation"]) else { return nil }
        let provider = map["provider"]?.string() ?? "sim"
        let seed = map["seed"]?.int(in: 0...Int.max) ?? 42
        let slope = map["difficulty_slope"]?.double() ?? 1.0
        var correlation = Zoo.defaultItemCorrelation
        if let value = map["item_correlation"], let number = value.double() {
            if (0...1).contains(number) { correlation = number } else { value.error("item_correlation must be between 0 and 1") }
        }
        var gain: [String: Double] = [:]
        if let gainValue = map["effort_gain"], case .mapping(let mapping) = gainValue.node {
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else { continue }
                gain[key] = YAMLValue(node: valueNode, path: "effort_gain.\(key)", sink: sink).double()
            }
        } else if let gainValue = map["effort_gain"] {
            gainValue.error("expected a mapping of task kind to a number")
        }
        var base = 15.0, perToken = 0.0
        if let latency = map["latency_ms"]?.mapping(allowed: ["base", "per_output_token"]) {
            base = latency["base"]?.double() ?? base
            perToken = latency["per_output_token"]?.double() ?? perToken
        }
        var models: [Zoo.Model] = []
        for value in map.required("models")?.sequence() ?? [] {
            if let model = parseModel(value) {
                if models.contains(where: { $0.id == model.id }) { value.error("duplicate model id '\(model.id)'") }
                models.append(model)
            }
        }
        var zoo = Zoo(provider: provider, seed: UInt64(seed), difficultySlope: slope, effortGain: gain, latencyBaseMs: base,
                      latencyPerOutputTokenMs: perToken, models: models)
        zoo.itemCorrelation = correlation
        return zoo
    }

    static func parseModel(_ value: YAMLValue) -> Zoo.Model? {
        guard let map = value.mapping(allowed: ["id", "created", "price", "skill", "efforts", "style", "context_window"]) else {
            return nil
        }
        let id = map.required("id")?.string()
        var created = Date(timeIntervalSince1970: 1_767_225_600)
        if let createdValue = map["created"], let text = createdValue.string() {
            if let date = parseDate(text) { created = date } else {
                createdValue.error("expected a date like 2026-03-01, found '\(text)'")
            }
        }
        var prices: [PriceDimension: Int64] = [:]
        if let priceMap = map.required("price")?.mapping(allowed: PriceDimension.allCases.map(\.rawValue)) {
            for (key, entry) in priceMap.entries {
                if let text = entry.decimalText(), let dimension = PriceDimension(rawValue: key),
                   let money = Money(dollars: text) {
                    prices[dimension] = money.nanoUSD
                }
            }
        }
        var skill: [String: Double] = [:]
        if let skillValue = map.required("skill"), case .mapping(let mapping) = skillValue.node {
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else { continue }
                skill[key] = YAMLValue(node: valueNode, path: "\(skillValue.path).\(key)", sink: value.sink).double()
            }
        }
        var efforts: [Effort: Zoo.EffortProfile] = [:]
        if let effortsValue = map.required("efforts"),
           let effortMap = effortsValue.mapping(allowed: Effort.allCases.map(\.rawValue)) {
            for (key, entry) in effortMap.entries {
                guard let effort = Effort(rawValue: key), let profile = entry.mapping(allowed: ["boost", "reasoning_tokens"]) else { continue }
                efforts[effort] = Zoo.EffortProfile(boost: profile["boost"]?.double() ?? 0,
                                                    reasoningTokens: profile["reasoning_tokens"]?.int(in: 0...1_000_000) ?? 0)
            }
            if efforts.isEmpty { effortsValue.error("a model needs at least one effort") }
        }
        let style = map["style"]?.string() ?? "terse"
        if let styleValue = map["style"], !["terse", "chatty"].contains(style) {
            styleValue.error("style must be terse or chatty")
        }
        let contextWindow = map["context_window"]?.int(in: 1...100_000_000) ?? 128_000
        guard let id else { return nil }
        return Zoo.Model(id: id, created: created, price: PriceSheet(prices), skill: skill, efforts: efforts, style: style,
                         contextWindow: contextWindow)
    }
}

/// Parses `2026-03-01` (UTC midnight).
func parseDate(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.date(from: text)
}
