/// The `judge` grader's parameters: what the judge is told to look for and how it scores.
public struct JudgeRubric: Hashable, Sendable {
    /// Criteria the judge scores the response against.
    public var rubric: String
    /// Scores run from 0 to `scale`; the grade is score / scale.
    public var scale: Int
    /// The lowest judge score that counts as solved.
    public var passScore: Int

    public init(rubric: String, scale: Int = 10, passScore: Int? = nil) {
        self.rubric = rubric
        self.scale = scale
        self.passScore = passScore ?? Int((Double(scale) * 0.7).rounded(.up))
    }
}
