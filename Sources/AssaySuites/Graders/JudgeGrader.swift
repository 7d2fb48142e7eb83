import AssayCore

/// Builds the judge's prompt and reads its verdict strictly: the last non-empty line must be
/// exactly `SCORE: n/scale`. Anything else is an error (the sample is not scored), never a zero.
package enum JudgeGrader {
    package static let system = """
        You are a strict, consistent grader. Score the response against the rubric only. \
        Explain briefly, then end with one final line of the form SCORE: n/N and nothing after it.
        """

    /// Marks the sections of a judge prompt (the simulator's judge reads them back).
    package static let taskMarker = "### Task given to the model"
    package static let responseMarker = "### Response to grade"
    package static let rubricMarker = "### Rubric"

    package static func prompt(rubric: JudgeRubric, item: SuiteItem, response: String) -> String {
        var parts = ["\(rubricMarker)\n\(rubric.rubric.trimmingSpacesAndNewlines())"]
        if let points = item.answer.scalarText ?? item.answer.arrayValue.map({ $0.compactMap(\.scalarText).joined(separator: "; ") }) {
            parts.append("### Points a good response covers\n\(points)")
        }
        parts.append("\(taskMarker)\n\(item.renderedPrompt)")
        parts.append("\(responseMarker)\n\(response)\n### End of response")
        parts.append("Score from 0 to \(rubric.scale). Final line exactly: SCORE: n/\(rubric.scale)")
        return parts.joined(separator: "\n\n")
    }

    /// The score in a verdict, or nil when the verdict does not follow the format.
    package static func score(in verdict: String, scale: Int) -> Int? {
        guard let last = verdict.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let line = String(last).trimmingSpacesAndNewlines()
        guard line.hasPrefix("SCORE: ") else { return nil }
        let parts = line.dropFirst(7).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let score = Int(parts[0]), Int(parts[1]) == scale, (0...scale).contains(score),
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return score
    }
}
