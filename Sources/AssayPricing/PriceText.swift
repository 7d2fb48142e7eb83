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
    static let currencySymbols: [Unicode.Scalar: String] = ["$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY", "元": "CNY"]
    static let currencyWords: [String: String] = ["usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY", "rmb": "CNY"]

    public static func parse(_ raw: String, unit: HTMLExtractorSpec.Unit = .perMillion, currency defaultCurrency: String = "USD") -> Cell {
        let text = TextCleaner.stripFootnotes(raw).lowercased()
        if absentWords.contains(text) { return .absent }
        // One pass, no Foundation searching: currency symbols and codes out, words noted.
        var currencies = Set<String>()
        var rest: [Unicode.Scalar] = []
        var words: [(word: String, afterSlash: Bool)] = []
        let chars = Array(text.unicodeScalars)   // scalars, not Characters: no grapheme breaking
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let code = currencySymbols[c] {
                currencies.insert(code)
                rest.append(" ")
                i += 1
            } else if c.isLetterScalar {
                var j = i
                while j < chars.count, chars[j].isLetterScalar, currencySymbols[chars[j]] == nil { j += 1 }
                let word = String(scalars: chars[i..<j])
                if let code = currencyWords[word] {
                    currencies.insert(code)
                    rest.append(" ")
                } else {
                    rest.append(contentsOf: chars[i..<j])
                    words.append((word, rest.dropLast(word.count).last { $0 != " " } == "/"))
                }
                i = j
            } else {
                rest.append(c)
                i += 1
            }
        }
        guard currencies.count <= 1 else { return .invalid("more than one currency in '\(raw)'") }
        let currency = currencies.first ?? defaultCurrency
        let scan = NumberScan(rest)
        if scan.amounts.isEmpty {
            if words.contains(where: { $0.word == "free" }) { return .price(0, currency: currency) }
            return .invalid("no price in '\(raw)'")
        }
        guard scan.amounts.count == 1 else { return .invalid("more than one amount in '\(raw)'") }
        let effectiveUnit = scan.unit ?? Self.unitWord(in: words) ?? unit
        let digits = 9 + effectiveUnit.extraDigits
        guard let nanos = Money.parseDecimal(scan.amounts[0], scale: digits) else {
            return .invalid("'\(scan.amounts[0])' has more decimal places than a nano-unit per million tokens can hold")
        }
        return .price(nanos, currency: currency)
    }

    /// A unit written without a number: `/ MTok`, `per million`, `per token`.
    static func unitWord(in words: [(word: String, afterSlash: Bool)]) -> HTMLExtractorSpec.Unit? {
        for (index, entry) in words.enumerated() {
            switch entry.word {
            case "mtok", "million": return .perMillion
            case "ktok", "thousand": return .perThousand
            case "token" where entry.afterSlash || (index > 0 && words[index - 1].word == "per"): return .perToken
            default: continue
            }
        }
        return nil
    }
}

/// Splits text into amounts and the `1M` / `1K` / `1,000 tokens` that name a unit.
struct NumberScan {
    var amounts: [String] = []
    var unit: HTMLExtractorSpec.Unit?

    init(_ chars: [Unicode.Scalar]) {
        var i = 0
        while i < chars.count {
            guard chars[i].isASCIIDigitScalar || (chars[i] == "." && i + 1 < chars.count && chars[i + 1].isASCIIDigitScalar) else {
                i += 1
                continue
            }
            if i > 0, chars[i - 1].isLetterScalar { // part of a word such as "gpt-4o" or "h100"
                while i < chars.count, chars[i].isASCIIDigitScalar || chars[i] == "." { i += 1 }
                continue
            }
            var j = i
            while j < chars.count, chars[j].isASCIIDigitScalar || chars[j] == "." || (chars[j] == "," && j + 1 < chars.count && chars[j + 1].isASCIIDigitScalar) { j += 1 }
            let number = Self.normalise(String(scalars: chars[i..<j]))
            var k = j
            while k < chars.count, chars[k] == " " { k += 1 }
            let after = String(scalars: chars[k..<min(chars.count, k + 8)])
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
        return text.filter { $0 != "," }
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}

extension Unicode.Scalar {
    var isASCIIDigitScalar: Bool { (0x30...0x39).contains(value) }
    /// A letter, answered from the ASCII range without a Unicode property lookup when it can be.
    var isLetterScalar: Bool { isASCII ? (0x61...0x7A).contains(value | 0x20) : properties.isAlphabetic }
}

extension String {
    init(scalars: ArraySlice<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self.init(view)
    }
}
