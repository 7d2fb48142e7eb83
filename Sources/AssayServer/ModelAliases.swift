/// Model names a client sends that `assay serve` routes instead (`serve.aliases`): a coding
/// agent that sends `claude-sonnet-4-5` by default reaches the router without reconfiguring it.
/// Rules are tried in the order written; the first whose pattern matches the requested name
/// wins. A pattern is the whole name, where `*` matches any run of characters and `?` any one.
/// The target is `auto`, `auto:<task>` or a `provider/model`, which then passes the same
/// passthrough check as a name the client sent itself (docs/server.md, "Model aliases").
package struct ModelAliases: Sendable, Equatable {
    package struct Rule: Sendable, Equatable {
        package var pattern: String
        package var target: String

        package init(pattern: String, target: String) {
            self.pattern = pattern
            self.target = target
        }
    }

    package var rules: [Rule]

    package init(_ rules: [Rule] = []) { self.rules = rules }

    /// The target of the first rule matching `model`, or nil when none does.
    package func target(for model: String) -> String? {
        rules.first { Self.matches($0.pattern, model) }?.target
    }

    /// Whole-name wildcard match: `*` any run (also empty), `?` one character. Linear in the
    /// name's length times the pattern's (the usual greedy match with one backtrack point), so a
    /// hostile name costs no more than its length allows (`RequestValidation.maxModelNameBytes`).
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let (pattern, text) = (Array(pattern.unicodeScalars), Array(text.unicodeScalars))
        var (p, t) = (0, 0)
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
