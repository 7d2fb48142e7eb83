/// The one shape of a judge call: the system text, the prompt's sections, and the strict reading
/// of the verdict (its last non-empty line must be exactly `SCORE: n/scale`). The `judge` grader
/// (`JudgeGrader`), `assay regrade --judge-check` and the server's cascade `judge` check all ask
/// with it, so a verdict means the same wherever it was given.
public enum JudgePrompt {
    public static let system = """
        You are a strict, consistent grader. Score the response against the rubric only. \
        Explain briefly, then end with one final line of the form SCORE: n/N and nothing after it.
        """

    /// Marks the sections of a judge prompt (the simulator's judge reads them back).
    public static let taskMarker = "### Task given to the model"
    public static let responseMarker = "### Response to grade"
    public static let rubricMarker = "### Rubric"
    public static let pointsMarker = "### Points a good response covers"
    public static let endMarker = "### End of response"

    /// The rubric of a judge check on a task graded otherwise (or a live request): no points, the
    /// answer's correctness first. Scale 10.
    public static let checkRubric = """
        Is the response a correct, complete and direct answer to the task, as the task asks for it? \
        Correctness comes first: a wrong result, a wrong choice, code that would not work, or a claim \
        that does not follow scores low however well it is written. A right answer in another wording \
        or format than one might expect scores high.
        """
    public static let checkScale = 10

    /// The judge's prompt: rubric, the points a good response covers (when known), the task and the response.
    public static func text(rubric: String, points: String?, task: String, response: String, scale: Int) -> String {
        var parts = ["\(rubricMarker)\n\(trimmed(rubric))"]
        if let points { parts.append("\(pointsMarker)\n\(points)") }
        parts.append("\(taskMarker)\n\(task)")
        parts.append("\(responseMarker)\n\(response)\n\(endMarker)")
        parts.append("Score from 0 to \(scale). Final line exactly: SCORE: n/\(scale)")
        return parts.joined(separator: "\n\n")
    }

    /// The score in a verdict, or nil when the verdict does not follow the format.
    public static func score(in verdict: String, scale: Int) -> Int? {
        guard let last = verdict.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let line = trimmed(String(last))
        guard line.hasPrefix("SCORE: ") else { return nil }
        let parts = line.dropFirst(7).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let score = Int(parts[0]), Int(parts[1]) == scale, (0...scale).contains(score),
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return score
    }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
