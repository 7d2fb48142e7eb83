import AssayCore

/// Number formats shared by the catalog's outputs.
public enum Format {
    public static func percent(_ value: Double) -> String { Money.fixed(value * 100, digits: 1) + "%" }
    package static func points(_ value: Double) -> String { Money.fixed(value * 100, digits: 1) + " points" }
    public static func ratio(_ value: Double) -> String { Money.fixed(value, digits: value >= 10 ? 0 : 1) + "×" }

    /// `percent(value)` appended to `text` without intermediate strings.
    package static func appendPercent(_ value: Double, to text: inout String) {
        Money.appendFixed(value * 100, digits: 1, to: &text)
        text += "%"
    }
}
