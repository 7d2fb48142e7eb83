/// A model as sold by one provider: `provider/model`, e.g. `sim/atlas-mini`.
///
/// The model part may itself contain `/` (OpenRouter ids like `openai/gpt-5`), so only the
/// first `/` separates the provider.
public struct ModelRef: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var provider: String
    public var model: String

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }

    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let provider = String(text[..<slash])
        let model = String(text[text.index(after: slash)...])
        guard !provider.isEmpty, !model.isEmpty else { return nil }
        self.init(provider: provider, model: model)
    }

    public var description: String { "\(provider)/\(model)" }

    public static func < (lhs: ModelRef, rhs: ModelRef) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let ref = ModelRef(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "expected provider/model, got '\(text)'"))
        }
        self = ref
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
