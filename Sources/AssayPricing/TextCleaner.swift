import Foundation

/// Cleans the text of table cells: footnote markers, odd spaces, model names, context tiers.
enum TextCleaner {
    static let footnoteCharacters: Set<Character> = ["*", "†", "‡", "§", "¶", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁰"]

    /// Collapses whitespace (including no-break spaces) and drops footnote markers: `*`, `†`,
    /// superscript digits and `[1]`-style references. (`<sup>` elements are dropped earlier.)
    static func stripFootnotes(_ text: String) -> String {
        if isClean(text) { return text }
        var result = ""
        var chars = Substring(text)
        while let c = chars.first {
            if c == "[", let close = chars.firstIndex(of: "]") {
                let inside = chars[chars.index(after: chars.startIndex)..<close]
                if (1...2).contains(inside.count), inside.allSatisfy({ $0.isASCIIDigitCharacter || $0.isLetter }) {
                    chars = chars[chars.index(after: close)...]
                    continue
                }
            }
            if !footnoteCharacters.contains(c) { result.append(c.isWhitespace ? " " : c) }
            chars = chars.dropFirst()
        }
        return result.split(separator: " ").joined(separator: " ")
    }

    /// Printable ASCII with single inner spaces and no `*` or `[`: nothing to strip (most cells).
    static func isClean(_ text: String) -> Bool {
        var previousSpace = true
        for byte in text.utf8 {
            switch byte {
            case 0x20:
                if previousSpace { return false }
                previousSpace = true
            case 0x2A, 0x5B: return false
            case 0x21...0x7E: previousSpace = false
            default: return false
            }
        }
        return !previousSpace || text.isEmpty
    }

    /// `Claude Sonnet 4.5 (legacy)` → `claude-sonnet-4-5`: lower case, parenthesised notes
    /// dropped, every run of other characters a single `-`.
    static func slug(_ name: String) -> String {
        var depth = 0
        var out = ""
        var dash = false
        for c in name.lowercased() {
            if c == "(" { depth += 1; continue }
            if c == ")" { depth = max(0, depth - 1); continue }
            guard depth == 0 else { continue }
            if (c.isLetter || c.isNumber) && c.isASCII {
                if dash, !out.isEmpty { out.append("-") }
                out.append(c)
                dash = false
            } else {
                dash = true
            }
        }
        return out
    }

    /// A context tier written in `text` (`≤ 200K`, `> 200K tokens`, `prompts over 128k`), and the
    /// text without it.
    static func tier(in text: String) -> (min: Int?, max: Int?, rest: String)? {
        guard mayNameTier(text) else { return nil }
        let lower = text.lowercased()
        let markers: [(String, Bool)] = [("<=", false), ("≤", false), ("up to", false), ("under", false), ("below", false),
                                         ("less than", false), (">=", true), ("≥", true), (">", true), ("over", true),
                                         ("above", true), ("more than", true), ("<", false)]
        for (marker, isLower) in markers {
            guard let range = lower.range(of: marker) else { continue }
            let after = lower[range.upperBound...].drop { $0 == " " }
            guard let count = tokenCount(after) else { continue }
            let offset = lower.distance(from: lower.startIndex, to: range.lowerBound)
            var cut = text.index(text.startIndex, offsetBy: offset)
            if let open = text[..<cut].lastIndex(of: "("), !text[open..<cut].contains(")") { cut = open }
            var rest = String(text[..<cut])
            if let close = text[cut...].firstIndex(of: ")") { rest += text[text.index(after: close)...] }
            rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: " -–—:,;/|"))
            return isLower ? (count, nil, rest) : (nil, count, rest)
        }
        return nil
    }

    static let tierWords: Set<String> = ["up", "under", "below", "less", "over", "above", "more"]

    /// A cheap test, on bytes, before the searching `tier(in:)` does: a digit, and a comparison
    /// sign (`<`, `>`, or any non-ASCII text, which may hold `≤`) or word.
    static func mayNameTier(_ text: String) -> Bool {
        var digit = false, sign = false, word = false
        var run: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39: digit = true
            case 0x3C, 0x3E, 0x80...: sign = true
            default: break
            }
            if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
                run.append(byte | 0x20)
            } else {
                if (2...5).contains(run.count), tierWords.contains(String(decoding: run, as: UTF8.self)) { word = true }
                run.removeAll(keepingCapacity: true)
            }
        }
        if (2...5).contains(run.count), tierWords.contains(String(decoding: run, as: UTF8.self)) { word = true }
        return digit && (sign || word)
    }

    /// `200K`, `1M`, `128,000` at the start of `text`, as a token count.
    static func tokenCount(_ text: Substring) -> Int? {
        let digits = text.prefix { $0.isASCIIDigitCharacter || $0 == "," || $0 == "." }
        guard !digits.isEmpty, let value = Double(digits.replacingOccurrences(of: ",", with: "")) else { return nil }
        let suffix = text.dropFirst(digits.count).drop { $0 == " " }.first
        switch suffix {
        case "k": return Int((value * 1_000).rounded())
        case "m": return Int((value * 1_000_000).rounded())
        default: return value >= 1_000 ? Int(value) : nil
        }
    }
}
