import AssayCore

/// Grades a response by whether it matches the item's regular expression anywhere.
public enum RegexGrader {
    static func grade(_ response: String, pattern: String, caseInsensitive: Bool) -> Grade {
        matches(pattern: pattern, text: response, caseInsensitive: caseInsensitive)
            ? .pass("matches /\(pattern)/")
            : .fail("'\(excerpt(response))' does not match /\(pattern)/")
    }

    public static func matches(pattern: String, text: String, caseInsensitive: Bool) -> Bool {
        guard var regex = try? Regex(pattern) else { return false }
        if caseInsensitive { regex = regex.ignoresCase() }
        return text.contains(regex)
    }
}
