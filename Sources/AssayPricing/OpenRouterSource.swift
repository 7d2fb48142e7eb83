import AssayCore
import AssayStore
import Foundation

/// OpenRouter's `/api/v1/models`: `{"data": [{"id", "created", "pricing": {"prompt",
/// "completion", "input_cache_read", "input_cache_write", "internal_reasoning"}, ...}]}`, prices
/// as USD-per-token strings.
package struct OpenRouterSource: Sendable {
    /// The provider part of model refs (`openrouter/anthropic/claude-sonnet-4.5`).
    package var provider: String

    package init(provider: String = "openrouter") { self.provider = provider }

    static let fields: [(String, String)] = [
        ("prompt", "input"), ("completion", "output"), ("input_cache_read", "cached_input"),
        ("input_cache_write", "cache_write"), ("internal_reasoning", "reasoning"),
    ]

    package func read(json bytes: [UInt8], location: String) -> SourceRead {
        var read = SourceRead()
        guard let root = try? JSONDecoder().decode(LooseJSON.self, from: Data(bytes)) else {
            read.layoutProblem = "\(location): not JSON"
            return read
        }
        guard case .array(let models)? = root["data"] else {
            read.layoutProblem = "\(location): no 'data' array; this is not an OpenRouter model list"
            return read
        }
        var seen: [ModelRef: [PriceObservation.Key: Int64]] = [:]
        for (index, entry) in models.enumerated() {
            read.entries += 1
            let place = "\(location): data[\(index)]"
            guard let id = entry["id"]?.string, !id.isEmpty else {
                read.reject("\(place): no 'id'; entry skipped")
                continue
            }
            guard case .object(let pricing)? = entry["pricing"] else {
                read.reject("\(place) (\(id)): no 'pricing' object; entry skipped")
                continue
            }
            let model = ModelRef(provider: provider, model: id)
            let excerpt = sha256Hex(id + ":" + pricing.keys.sorted().map { "\($0)=\(pricing[$0]!.describe)" }.joined(separator: ","))
            var observations: [PriceObservation] = []
            var problems: [String] = []
            for (field, dimension) in Self.fields {
                guard let value = pricing[field], let text = value.decimalText else { continue }
                if dimension != "input" && dimension != "output", Money.parseDecimal(text, scale: 0) == 0 { continue } // "0": not billed apart
                switch DecimalText.nanosPerMTok(perToken: text) {
                case .success(let nanos):
                    observations.append(PriceObservation(model: model, dimension: dimension, nanosPerMTok: nanos, excerptSha256: excerpt))
                case .failure(let failure):
                    problems.append("pricing.\(field): \(failure.message)")
                }
            }
            if !problems.isEmpty {
                read.reject("\(place) (\(id)): \(problems.joined(separator: "; ")); entry skipped")
                continue
            }
            if observations.isEmpty {
                read.skipped["no token prices", default: 0] += 1
                continue
            }
            read.take(observations, from: place, seen: &seen)
            read.models.append(ModelInfo(
                model: model, created: entry["created"]?.decimalText.flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0) },
                contextWindow: entry["context_length"]?.decimalText.flatMap { Int($0) },
                supportedParameters: entry["supported_parameters"]?.strings ?? []))
        }
        return read
    }
}
