/// Finds the number a response commits to.
package enum NumberExtractor {
    /// The number after a final `Answer:` marker if there is one, else the last number in the
    /// text. Understands `1,234.5`, `$12`, `-3`, `45%`, `3/4` and `1e3`.
    package static func extract(_ response: String) -> Double? {
        let text = answerSection(of: response)
        return numbers(in: text).last
    }

    /// Text after the last "answer:" (any case), or the whole response.
    static func answerSection(of response: String) -> String {
        let lower = response.lowercased()
        for marker in ["final answer:", "answer:", "answer is"] {
            if let range = lower.range(of: marker, options: .backwards) {
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                return String(response.dropFirst(offset))
            }
        }
        return response
    }

    /// Parses a whole string as one number (`"1,234"`, `"$5"`, `"-2.5"`, `"3/4"`), nil for
    /// anything else, such as `"about 5 apples"`.
    package static func parse(_ text: String) -> Double? {
        let stripped = text.filter { !$0.isWhitespace && !"$€£%,".contains($0) }
        if let value = Double(stripped), value.isFinite { return value }
        let parts = stripped.split(separator: "/")
        if parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]), denominator != 0 {
            return numerator / denominator
        }
        return nil
    }

    package static func numbers(in text: String) -> [Double] {
        var results: [Double] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let startsNumber = c.isASCII && c.isNumber
                || (c == "-" && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber
                    && (i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber)))
                || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber
                    && (i == 0 || !chars[i - 1].isNumber))
            guard startsNumber else { i += 1; continue }
            var j = i
            var token = ""
            if chars[j] == "-" { token.append("-"); j += 1 }
            var sawDot = false, sawExponent = false
            while j < chars.count {
                let d = chars[j]
                if d.isASCII && d.isNumber { token.append(d); j += 1; continue }
                if d == ",", !sawDot, isThousandsGroup(chars, after: j) { j += 1; continue }
                if d == ".", !sawDot, !sawExponent, j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber {
                    sawDot = true; token.append("."); j += 1; continue
                }
                if (d == "e" || d == "E"), !sawExponent, j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber,
                   j + 2 >= chars.count || !chars[j + 2].isLetter {
                    sawExponent = true; token.append("e"); j += 1; continue
                }
                break
            }
            // A fraction like 3/4.
            if j + 1 < chars.count, chars[j] == "/", chars[j + 1].isASCII, chars[j + 1].isNumber, !sawDot,
               let numerator = Double(token) {
                var k = j + 1
                var denominatorText = ""
                while k < chars.count, chars[k].isASCII, chars[k].isNumber { denominatorText.append(chars[k]); k += 1 }
                if let denominator = Double(denominatorText), denominator != 0 {
                    results.append(numerator / denominator)
                    i = k
                    continue
                }
            }
            if let value = Double(token) { results.append(value) }
            i = max(j, i + 1)
        }
        return results
    }

    /// True when `chars[comma]` is followed by exactly three digits: `1,234` but not `1,23` or `3, 4`.
    static func isThousandsGroup(_ chars: [Character], after comma: Int) -> Bool {
        guard comma + 3 < chars.count else { return false }
        let digits = chars[(comma + 1)...(comma + 3)]
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return comma + 4 >= chars.count || !(chars[comma + 4].isASCII && chars[comma + 4].isNumber)
    }
}
