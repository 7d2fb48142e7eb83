/// A model at an effort, `provider/model@effort`: the name of a catalog entry, a route and a
/// planned job across Assay.
///
/// The effort is kept as text: a catalog may name efforts this build does not know.
public struct EntryKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var model: String
    public var effort: String

    public init(model: String, effort: String) {
        self.model = model
        self.effort = effort
    }

    public init(_ model: ModelRef, _ effort: Effort) {
        self.init(model: model.description, effort: effort.rawValue)
    }

    /// Parses `model@effort`; the effort is what follows the last `@`.
    public init?(_ text: String) {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let model = String(text[..<at]), effort = String(text[text.index(after: at)...])
        guard !model.isEmpty, !effort.isEmpty else { return nil }
        self.init(model: model, effort: effort)
    }

    /// `model@effort`.
    public var description: String { "\(model)@\(effort)" }

    public static func < (lhs: EntryKey, rhs: EntryKey) -> Bool { (lhs.model, lhs.effort) < (rhs.model, rhs.effort) }
}
