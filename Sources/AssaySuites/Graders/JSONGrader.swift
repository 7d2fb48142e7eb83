import AssayCore

/// Grades a structured-extraction response: the first JSON object in it (fenced or bare) must
/// satisfy the schema; the score is the fraction of expected fields it gets right. Strings are
/// compared case-insensitively after trimming; numbers numerically.
enum JSONGrader {
    static func grade(_ response: String, expected: [String: JSONValue], schema: JSONSchemaSubset) -> Grade {
        guard let object = extractObject(response) else {
            return .fail("no JSON object in '\(excerpt(response))'")
        }
        let problems = schema.violations(of: object)
        if !problems.isEmpty { return .fail("breaks the schema: \(problems.joined(separator: "; "))") }
        guard !expected.isEmpty else { return .pass("valid JSON object") }
        let wrong = expected.keys.sorted().filter { key in !equivalent(object[key] ?? .null, expected[key]!) }
        let score = Double(expected.count - wrong.count) / Double(expected.count)
        if wrong.isEmpty { return .pass("all \(expected.count) fields match") }
        let detail = wrong.map { "\($0): got \((object[$0] ?? .null).jsonText), expected \(expected[$0]!.jsonText)" }
        return Grade(score: score, reason: "\(wrong.count) of \(expected.count) fields wrong: " + detail.joined(separator: "; "))
    }

    static func extractObject(_ response: String) -> [String: JSONValue]? {
        var candidates: [String] = []
        if let fenceStart = response.range(of: "```") {
            let afterFence = response[fenceStart.upperBound...]
            let body = afterFence.drop { $0 != "\n" }
            if let fenceEnd = body.range(of: "```") { candidates.append(String(body[..<fenceEnd.lowerBound])) }
        }
        if let open = response.firstIndex(of: "{"), let close = response.lastIndex(of: "}"), open < close {
            candidates.append(String(response[open...close]))
        }
        for candidate in candidates {
            if let object = JSONValue(parsing: candidate)?.objectValue { return object }
        }
        return nil
    }

    static func equivalent(_ found: JSONValue, _ expected: JSONValue) -> Bool {
        switch (found, expected) {
        case (.string(let a), .string(let b)):
            return a.trimmingSpacesAndNewlines().lowercased() == b.trimmingSpacesAndNewlines().lowercased()
        case (.number(let a), .number(let b)):
            return abs(a - b) < 1e-9
        case (.string(let a), .number(let b)), (.number(let b), .string(let a)):
            return NumberExtractor.parse(a).map { abs($0 - b) < 1e-9 } ?? false
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equivalent($0, $1) }
        default:
            return found == expected
        }
    }
}
