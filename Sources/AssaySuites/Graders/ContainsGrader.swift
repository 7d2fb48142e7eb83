import AssayCore

/// Grades a response by required, alternative and forbidden substrings (case-insensitive).
package enum ContainsGrader {
    static func grade(_ response: String, answer: [String: JSONValue]) -> Grade {
        let problems = failures(answer: answer, response: response)
        return problems.isEmpty ? .pass("all constraints hold") : .fail(problems.joined(separator: "; "))
    }

    package static func failures(answer: [String: JSONValue], response: String) -> [String] {
        let text = response.lowercased()
        func list(_ key: String) -> [String] { answer[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var problems: [String] = []
        let missing = list("all_of").filter { !text.contains($0.lowercased()) }
        if !missing.isEmpty { problems.append("missing \(missing.map { "'\($0)'" }.joined(separator: ", "))") }
        let anyOf = list("any_of")
        if !anyOf.isEmpty, !anyOf.contains(where: { text.contains($0.lowercased()) }) {
            problems.append("none of \(anyOf.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let forbidden = list("none_of").filter { text.contains($0.lowercased()) }
        if !forbidden.isEmpty { problems.append("contains forbidden \(forbidden.map { "'\($0)'" }.joined(separator: ", "))") }
        return problems
    }
}
