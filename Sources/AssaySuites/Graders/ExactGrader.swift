import AssayCore

/// Grades a short answer that must equal the expected text after normalisation: surrounding
/// whitespace, quotes, backticks, markdown emphasis and a trailing period are ignored, and so is
/// case unless the suite says `case_sensitive: true`. A multi-line response is judged by its
/// last non-empty line (after any `Answer:` marker).
enum ExactGrader {
    static func grade(_ response: String, expected: JSONValue, caseSensitive: Bool) -> Grade {
        let target = normalise(expected.scalarText ?? "", caseSensitive: caseSensitive)
        let candidates = [response, lastLine(NumberExtractor.answerSection(of: response))]
        for candidate in candidates where normalise(candidate, caseSensitive: caseSensitive) == target {
            return .pass("'\(excerpt(candidate))' equals the expected answer")
        }
        return .fail("'\(excerpt(response))' is not '\(expected.scalarText ?? "")'")
    }

    static func normalise(_ text: String, caseSensitive: Bool) -> String {
        var s = text.trimmingSpacesAndNewlines()
        let strip: Set<Character> = ["\"", "'", "`", "*", "_"]
        while let first = s.first, strip.contains(first) { s.removeFirst() }
        while let last = s.last, strip.contains(last) || last == "." { s.removeLast() }
        s = s.trimmingSpacesAndNewlines()
        return caseSensitive ? s : s.lowercased()
    }

    static func lastLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { String($0) }
            .last { !$0.trimmingSpacesAndNewlines().isEmpty } ?? text
    }
}
