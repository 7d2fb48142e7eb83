import AssayCore

/// The outcome of grading one response: a score in [0, 1], whether it counts as solved, and why.
public struct Grade: Hashable, Sendable, Codable {
    public var score: Double
    public var passed: Bool
    public var reason: String

    public init(score: Double, passed: Bool? = nil, reason: String) {
        self.score = min(1, max(0, score))
        self.passed = passed ?? (score >= 1)
        self.reason = reason
    }

    package static func pass(_ reason: String) -> Grade { Grade(score: 1, reason: reason) }
    package static func fail(_ reason: String) -> Grade { Grade(score: 0, reason: reason) }
}

extension GraderSpec {
    /// Grades `response` to `item` with a pure grader. `python-tests` and `judge` need the
    /// `Grading` service (they run code or call a model); here they fail with a reason saying so.
    public func grade(_ response: String, item: SuiteItem) -> Grade {
        switch self {
        case .exact(let caseSensitive): ExactGrader.grade(response, expected: item.answer, caseSensitive: caseSensitive)
        case .choice: ChoiceGrader.grade(response, item: item)
        case .numeric(let tolerance): NumericGrader.grade(response, expected: item.answer, tolerance: tolerance)
        case .regex(let caseInsensitive): RegexGrader.grade(response, pattern: item.answer.stringValue ?? "", caseInsensitive: caseInsensitive)
        case .contains: ContainsGrader.grade(response, answer: item.answer.objectValue ?? [:])
        case .json(let schema): JSONGrader.grade(response, expected: item.answer.objectValue ?? [:], schema: schema)
        case .pythonTests, .judge: .fail("the \(typeName) grader needs the grading service")
        }
    }
}

/// Shortens a response for a reason string.
func excerpt(_ text: String, limit: Int = 60) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingSpacesAndNewlines()
    return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
}
