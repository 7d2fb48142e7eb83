/// What decides whether a cascade's worker answer is kept or the advisor is asked instead
/// (docs/cascades.md).
public enum CascadeCheck: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The router's per-request success estimate of the worker on the prompt (no call): doubt
    /// when it is below the threshold.
    case estimate
    /// A second cheap answer: doubt when it differs from the worker's (normalised text). The
    /// partner is another entry, or nil for the worker itself asked again (another stored epoch).
    case agreement(partner: String?)
    /// The judge scoring the worker's answer: doubt when its score is below the threshold.
    case judge

    /// `estimate`, `judge`, `agreement` (the worker again) or `agreement:<entry>`.
    public init?(argument: String) {
        switch argument {
        case "estimate": self = .estimate
        case "judge": self = .judge
        case "agreement": self = .agreement(partner: nil)
        default:
            guard argument.hasPrefix("agreement:"), argument.count > 10 else { return nil }
            self = .agreement(partner: String(argument.dropFirst(10)))
        }
    }

    public var description: String {
        switch self {
        case .estimate: "estimate"
        case .judge: "judge"
        case .agreement(let partner): partner.map { "agreement:" + $0 } ?? "agreement"
        }
    }

    /// The thresholds a sweep tries: doubt below each. Agreement has one operating point.
    package var thresholds: [Double] {
        switch self {
        case .estimate: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 1.0]
        case .judge: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]
        case .agreement: [1]
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let check = CascadeCheck(argument: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown check '\(text)'"))
        }
        self = check
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
