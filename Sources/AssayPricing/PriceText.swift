import AssayCore
import Foundation

/// Reads a price as pages write it — `$3 / MTok`, `$0.25`, `0.25$ / 1M tokens`, `€0,30`,
/// `Free`, `$1.10*` — exactly, as decimal text, never through floating point.
///
/// Hand-written: no library parses prices with currencies and per-N-tokens units.
public enum PriceText {
    public enum Cell: Equatable, Sendable {
        /// Nano-units of `currency` per million tokens.
        case price(Int64, currency: String)
        /// A dash, `n/a`, an empty cell: no price for this dimension.
        case absent
        case invalid(String)
    }

    static let absentWords: Set<String> = ["", "-", "–", "—", "n/a", "na", "none", "not available", "not supported", "unavailable", "✗", "×"]
    static let currencySymbols: [(String, String)] = [
        ("us$", "USD"), ("usd", "USD"), ("$", "USD"), ("€", "EUR"), ("eur", "EUR"), ("£", "GBP"), ("gbp", "GBP"),
        ("¥", "CNY"), ("￥", "CNY"), ("cny", "CNY"), ("rmb", "CNY"), ("元", "CNY"),
    ]

    public static func parse(_ raw: String, unit: HTMLExtractorSpec.Unit = .perMillion, currency defaultCurrency: String = "USD") -> Cell {
        let text = TextCleaner.stripFootnotes(raw).lowercased()
        if absentWords.contains(text) { return .absent }
        var currencies = Set<String>()
        var rest = text
        for (symbol, code) in currencySymbols where rest.contains(symbol) {
            currencies.insert(code)
            rest = rest.replacingOccurrences(of: symbol, with: " ")
        }
        guard currencies.count <= 1 else { return .invalid("more than one currency in '\(raw)'") }
        let currency = currencies.first ?? defaultCurrency
        let scan = NumberScan(rest)
        if scan.amounts.isEmpty {
            if rest.split(separator: " ").contains("free") { return .price(0, currency: currency) }
            return .invalid("no price in '\(raw)'")
        }
        guard scan.amounts.count == 1 else { return .invalid("more than one amount in '\(raw)'") }
        let effectiveUnit = scan.unit ?? Self.unitWord(in: rest) ?? unit
        let digits = 9 + effectiveUnit.extraDigits
        guard let nanos = Money.parseDecimal(scan.amounts[0], scale: digits) else {
            return .invalid("'\(scan.amounts[0])' has more decimal places than a nano-unit per million tokens can hold")
        }
        return .price(nanos, currency: currency)
    }

    /// A unit written without a number: `/ MTok`, `per million`, `per token`.
    static func unitWord(in text: String) -> HTMLExtractorSpec.Unit? {
        if text.contains("mtok") || text.contains("million") { return .perMillion }
        if text.contains("ktok") || text.contains("thousand") { return .perThousand }
        if text.contains("per token") || text.contains("/ token") || text.contains("/token") { return .perToken }
        return nil
    }
}

/// Splits text into amounts and the `1M` / `1K` / `1,000 tokens` that name a unit.
struct NumberScan {
    var amounts: [String] = []
    var unit: HTMLExtractorSpec.Unit?

    init(_ text: String) {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCIIDigitCharacter || (chars[i] == "." && i + 1 < chars.count && chars[i + 1].isASCIIDigitCharacter) else {
                i += 1
                continue
            }
            if i > 0, chars[i - 1].isLetter { // part of a word such as "gpt-4o" or "h100"
                while i < chars.count, chars[i].isASCIIDigitCharacter || chars[i] == "." { i += 1 }
                continue
            }
            var j = i
            while j < chars.count, chars[j].isASCIIDigitCharacter || chars[j] == "." || (chars[j] == "," && j + 1 < chars.count && chars[j + 1].isASCIIDigitCharacter) { j += 1 }
            let number = Self.normalise(String(chars[i..<j]))
            var k = j
            while k < chars.count, chars[k] == " " { k += 1 }
            let after = String(chars[k..<min(chars.count, k + 8)])
            let touching = k == j ? after : ""
            if after.hasPrefix("%") || touching.hasPrefix("x") || after.hasPrefix("×") {
                // a percentage or a multiplier, not a price
            } else if (number == "1" && (touching.hasPrefix("m") || touching.hasPrefix("k"))) || after.hasPrefix("million")
                        || after.hasPrefix("thousand") {
                unit = touching.hasPrefix("k") || after.hasPrefix("thousand") ? .perThousand : .perMillion
            } else if after.hasPrefix("tok"), let counted = ["1000000": HTMLExtractorSpec.Unit.perMillion, "1000": .perThousand,
                                                                "1": .perToken][number] {
                unit = counted
            } else {
                amounts.append(number)
            }
            i = j
        }
    }

    /// `1,000` → `1000`; a lone comma before one, two or four+ digits is a decimal comma (`0,25`).
    static func normalise(_ text: String) -> String {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 2, !text.contains("."), parts[1].count != 3 { return parts[0] + "." + parts[1] }
        return text.replacingOccurrences(of: ",", with: "")
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
