/// An exact amount of US dollars, in integer nano-dollars (1e-9 USD).
///
/// Money is never stored or summed as a `Double`; `Double` appears only when a figure is
/// formatted for people or averaged for statistics.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanoUSD: Int64

    public init(nanoUSD: Int64) { self.nanoUSD = nanoUSD }

    public static let zero = Money(nanoUSD: 0)
    package static let nanosPerDollar: Int64 = 1_000_000_000

    /// Parses a decimal dollar amount such as `"3"`, `"0.075"`, `"$1.25"` exactly, without
    /// going through floating point. Returns nil for anything else.
    public init?(dollars text: String) {
        guard let nanos = Money.parseDecimal(text, scale: 9) else { return nil }
        self.nanoUSD = nanos
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.nanoUSD < rhs.nanoUSD }
    /// Sums and differences saturate at ±`Int64.max` nano-dollars (±$9.2 billion) instead of
    /// trapping: an absurd price or usage from outside cannot crash a run or the server.
    public static func + (lhs: Money, rhs: Money) -> Money {
        let (sum, overflow) = lhs.nanoUSD.addingReportingOverflow(rhs.nanoUSD)
        return Money(nanoUSD: overflow ? (rhs.nanoUSD > 0 ? .max : .min) : sum)
    }
    public static func - (lhs: Money, rhs: Money) -> Money {
        let (difference, overflow) = lhs.nanoUSD.subtractingReportingOverflow(rhs.nanoUSD)
        return Money(nanoUSD: overflow ? (rhs.nanoUSD < 0 ? .max : .min) : difference)
    }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }

    /// Dollars as a `Double`, for display and statistics only.
    public var dollars: Double { Double(nanoUSD) / Double(Money.nanosPerDollar) }

    /// `$0.000123`-style text with enough digits to show small per-request costs.
    public var description: String { Money.format(dollars: dollars) }

    public static func format(dollars: Double) -> String {
        var text = ""
        appendFormatted(dollars: dollars, to: &text)
        return text
    }

    /// `format(dollars:)` appended to `text`, without intermediate strings.
    package static func appendFormatted(dollars: Double, to text: inout String) {
        let magnitude = abs(dollars)
        let digits: Int
        switch magnitude {
        case 0: text += "$0"; return
        case 1...: digits = 2
        case 0.01...: digits = 4
        case 0.0001...: digits = 6
        default: digits = 9
        }
        text += "$"
        appendFixed(dollars, digits: digits, to: &text)
    }

    package static func fixed(_ value: Double, digits: Int) -> String {
        var text = ""
        appendFixed(value, digits: digits, to: &text)
        return text
    }

    /// `value` rounded to `digits` decimals (at most 18), appended to `text`: the digits are
    /// written into a stack buffer and appended once, so a hot path such as the router's reason
    /// line allocates nothing for them.
    package static func appendFixed(_ value: Double, digits: Int, to text: inout String) {
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 1.8e19 else { text += String(value); return }
        let units = UInt64(scaled)
        var whole = units / scale, fraction = units % scale
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var end = buffer.count
            func put(_ byte: UInt8) { end -= 1; buffer[end] = byte }
            for _ in 0..<digits { put(UInt8(ascii: "0") + UInt8(fraction % 10)); fraction /= 10 }
            if digits > 0 { put(UInt8(ascii: ".")) }
            repeat { put(UInt8(ascii: "0") + UInt8(whole % 10)); whole /= 10 } while whole > 0
            if value < 0 { put(UInt8(ascii: "-")) }
            text += String(decoding: UnsafeBufferPointer(rebasing: buffer[end...]), as: UTF8.self)
        }
    }

    /// `value / 10^scale` as exact decimal text without trailing zeros: (3_000, 6) → "0.003".
    package static func decimalText(_ value: Int64, scale: Int) -> String {
        let negative = value < 0
        var digits = String(value.magnitude)
        while digits.count <= scale { digits = "0" + digits }
        var whole = String(digits.dropLast(scale)), fraction = String(digits.suffix(scale))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if whole.isEmpty { whole = "0" }
        return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Parses `[-]digits[.digits]` (an optional leading `$`, surrounding spaces and `,`
    /// thousands separators allowed) into an integer scaled by 10^scale. Extra fraction digits
    /// beyond `scale` must be zeros, so no value is silently rounded.
    package static func parseDecimal(_ text: String, scale: Int) -> Int64? {
        var s = Substring(text.trimmingSpaces())
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        if s.hasPrefix("$") { s = s.dropFirst() }
        let parts = s.replacingCommas().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let wholeText = parts.first else { return nil }
        guard !wholeText.isEmpty || parts.count == 2 else { return nil }
        guard wholeText.allSatisfy(\.isASCIIDigit) else { return nil }
        var fractionText = parts.count == 2 ? String(parts[1]) : ""
        guard fractionText.allSatisfy(\.isASCIIDigit), !(wholeText.isEmpty && fractionText.isEmpty) else { return nil }
        if fractionText.count > scale {
            guard fractionText.dropFirst(scale).allSatisfy({ $0 == "0" }) else { return nil }
            fractionText = String(fractionText.prefix(scale))
        }
        while fractionText.count < scale { fractionText += "0" }
        guard let whole = Int64(wholeText.isEmpty ? "0" : String(wholeText)),
              let fraction = Int64(fractionText.isEmpty ? "0" : fractionText) else { return nil }
        var multiplier: Int64 = 1
        for _ in 0..<scale { multiplier *= 10 }
        let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        let value = product + fraction
        return negative ? -value : value
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }

    func replacingCommas() -> String { String(filter { $0 != "," }) }
}
