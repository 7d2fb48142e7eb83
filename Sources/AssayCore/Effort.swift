/// Assay's reasoning-effort axis. Each provider adapter maps these labels onto its own
/// parameters; the same label can mean different budgets on different providers, which is why
/// samples also store the reasoning tokens actually observed.
public enum Effort: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    case none, minimal, low, medium, high, xhigh

    public var description: String { rawValue }

    /// Position on the axis, `none` = 0.
    package var rank: Int { Effort.allCases.firstIndex(of: self)! }

    public static func < (lhs: Effort, rhs: Effort) -> Bool { lhs.rank < rhs.rank }

    package static var allowedValuesText: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
