import AssayCore
import AssayStore
import Foundation

/// A LiteLLM-format cost map (`model_prices_and_context_window.json`): model id →
/// `input_cost_per_token`, `output_cost_per_token`, `cache_read_input_token_cost`, … in USD per
/// single token, with `_above_200k_tokens`-style context tiers and `_batches` prices.
package struct LiteLLMSource: Sendable {
    /// When set, every entry is priced under this provider; else under its `litellm_provider`.
    package var provider: String?

    package init(provider: String? = nil) { self.provider = provider }

    static let fields: [(String, String)] = [
        ("input_cost_per_token", "input"), ("output_cost_per_token", "output"),
        ("cache_read_input_token_cost", "cached_input"), ("cache_creation_input_token_cost", "cache_write"),
        ("output_cost_per_reasoning_token", "reasoning"),
        ("input_cost_per_token_batches", "batch_input"), ("output_cost_per_token_batches", "batch_output"),
    ]
    static let textModes: Set<String> = ["chat", "completion", "responses"]

    package func read(json bytes: [UInt8], location: String) -> SourceRead {
        var read = SourceRead()
        guard case .object(let map)? = try? JSONDecoder().decode(LooseJSON.self, from: Data(bytes)) else {
            read.layoutProblem = "\(location): not a JSON object of model id → prices; this is not a LiteLLM cost map"
            return read
        }
        var seen: [ModelRef: [PriceObservation.Key: Int64]] = [:]
        for key in map.keys.sorted() where key != "sample_spec" {
            read.entries += 1
            let place = "\(location): \"\(key)\""
            guard case .object(let entry) = map[key]! else {
                read.reject("\(place): expected an object, found \(map[key]!.describe); entry skipped")
                continue
            }
            if let mode = entry["mode"]?.string, !Self.textModes.contains(mode) {
                read.skipped["mode \(mode)", default: 0] += 1
                continue
            }
            guard let owner = provider ?? entry["litellm_provider"]?.string ?? key.split(separator: "/").first.map(String.init),
                  !owner.isEmpty else {
                read.reject("\(place): no litellm_provider; entry skipped")
                continue
            }
            let id = key.hasPrefix(owner + "/") ? String(key.dropFirst(owner.count + 1)) : key
            let model = ModelRef(provider: owner, model: id)
            let excerpt = sha256Hex(key + ":" + entry.keys.sorted().filter { $0.contains("cost") }
                .map { "\($0)=\(entry[$0]!.describe)" }.joined(separator: ","))
            var observations: [PriceObservation] = []
            var problems: [String] = []
            for field in entry.keys.sorted() {
                guard let found = Self.dimension(of: field) else { continue }
                let (dimension, tierMin) = found
                let value = entry[field]!
                if case .null = value { continue }
                guard let text = value.decimalText else {
                    problems.append("\(field): expected a number, found \(value.describe)")
                    continue
                }
                switch DecimalText.nanosPerMTok(perToken: text) {
                case .success(let nanos):
                    observations.append(PriceObservation(model: model, dimension: dimension, nanosPerMTok: nanos,
                                                         tierMinTokens: tierMin, excerptSha256: excerpt))
                case .failure(let failure):
                    problems.append("\(field): \(failure.message)")
                }
            }
            if !problems.isEmpty {
                read.reject("\(place): \(problems.joined(separator: "; ")); entry skipped")
                continue
            }
            guard observations.contains(where: { $0.dimension == "input" || $0.dimension == "output" }) else {
                read.skipped["no per-token input or output price", default: 0] += 1
                continue
            }
            read.take(observations, from: place, seen: &seen)
        }
        return read
    }

    /// `input_cost_per_token` → (input, nil); `output_cost_per_token_above_200k_tokens` → (output, 200000).
    static func dimension(of field: String) -> (String, Int?)? {
        if let plain = fields.first(where: { $0.0 == field }) { return (plain.1, nil) }
        guard let range = field.range(of: "_above_"), field.hasSuffix("k_tokens") else { return nil }
        let base = String(field[..<range.lowerBound])
        let count = field[range.upperBound...].dropLast("k_tokens".count)
        guard let thousands = Int(count), let plain = fields.first(where: { $0.0 == base }) else { return nil }
        return (plain.1, thousands * 1_000)
    }
}
