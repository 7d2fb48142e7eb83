import AssayCore
import Foundation

/// A JSON value whose numbers keep their decimal digits, so `3e-06` dollars per token becomes
/// exactly $3 per million tokens.
enum LooseJSON: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([LooseJSON])
    case object([String: LooseJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Decimal.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([LooseJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: LooseJSON].self)) }
    }

    subscript(key: String) -> LooseJSON? {
        if case .object(let map) = self { return map[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var strings: [String]? {
        if case .array(let items) = self { return items.compactMap(\.string) }
        return nil
    }

    /// The number's decimal text, whether the JSON holds it as a number or a string.
    var decimalText: String? {
        switch self {
        case .number(let value): value.description
        case .string(let text): text.trimmingCharacters(in: .whitespaces)
        default: nil
        }
    }

    var describe: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): value.description
        case .string(let text): "\"\(text)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}

enum DecimalText {
    /// `3e-06` → `0.000003`; plain decimals unchanged; nil when not a number.
    static func plain(_ text: String) -> String? {
        let lower = text.lowercased()
        guard let e = lower.firstIndex(of: "e") else { return lower }
        guard let exponent = Int(lower[lower.index(after: e)...].replacingOccurrences(of: "+", with: "")) else { return nil }
        var mantissa = String(lower[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var digits = String(parts[0]) + (parts.count == 2 ? String(parts[1]) : "")
        var point = parts[0].count + exponent
        guard digits.allSatisfy(\.isASCIIDigitCharacter), !digits.isEmpty else { return nil }
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        }
        if point >= digits.count { digits += String(repeating: "0", count: point - digits.count) }
        let whole = String(digits.prefix(point))
        let fraction = String(digits.dropFirst(point))
        let sign = negative ? "-" : ""
        return fraction.isEmpty ? sign + whole : sign + whole + "." + fraction
    }

    /// Dollars per token as decimal text → nano-dollars per million tokens, or why not. Digits
    /// past the 15th decimal place (float artefacts in machine-written maps, such as
    /// `2.9999900000000002e-06`) are rounded half up: a nano-dollar per million tokens is the
    /// finest unit Assay stores.
    static func nanosPerMTok(perToken text: String) -> Result<Int64, PriceReadFailure> {
        guard let plain = plain(text) else { return .failure(.init("'\(text)' is not a number")) }
        guard !plain.hasPrefix("-") else { return .failure(.init("'\(text)' is negative")) }
        guard let nanos = Money.parseDecimal(rounded(plain, places: 15), scale: 15) else {
            return .failure(.init("'\(text)' is not a decimal amount"))
        }
        return .success(nanos)
    }

    /// `plain` (digits, an optional point) rounded half up to `places` decimals.
    static func rounded(_ plain: String, places: Int) -> String {
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count > places, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }) else { return plain }
        var digits = Array(parts[0] + parts[1].prefix(places))
        if parts[1].dropFirst(places).first.map({ $0 >= "5" }) == true {
            var i = digits.count - 1
            while i >= 0 {
                if digits[i] == "9" { digits[i] = "0"; i -= 1; continue }
                digits[i] = Character(String(digits[i].wholeNumberValue! + 1))
                break
            }
            if i < 0 { digits.insert("1", at: 0) }
        }
        let whole = digits.count - places
        return String(digits[..<whole]) + "." + String(digits[whole...])
    }
}

struct PriceReadFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
