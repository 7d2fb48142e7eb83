import AssayCore

/// The `judge` grader's prompt for a suite item, in the one judge prompt shape (`JudgePrompt`),
/// and its strict reading of the verdict: anything but a final `SCORE: n/scale` line is an error
/// (the sample is not scored), never a zero.
package enum JudgeGrader {
    package static let system = JudgePrompt.system
    package static let taskMarker = JudgePrompt.taskMarker
    package static let responseMarker = JudgePrompt.responseMarker
    package static let rubricMarker = JudgePrompt.rubricMarker

    package static func prompt(rubric: JudgeRubric, item: SuiteItem, response: String) -> String {
        JudgePrompt.text(rubric: rubric.rubric, points: points(of: item), task: item.renderedPrompt, response: response, scale: rubric.scale)
    }

    /// The judge-check prompt for an item graded otherwise (`assay regrade --judge-check`): the
    /// generic check rubric, no points (the item's answer would give the verdict away), the task as sent.
    package static func checkPrompt(item: SuiteItem, response: String) -> String {
        JudgePrompt.text(rubric: JudgePrompt.checkRubric, points: nil, task: item.renderedPrompt, response: response,
                         scale: JudgePrompt.checkScale)
    }

    /// What a good response covers, from the item's answer (a judge item's `answer`).
    static func points(of item: SuiteItem) -> String? {
        item.answer.scalarText ?? item.answer.arrayValue.map({ $0.compactMap(\.scalarText).joined(separator: "; ") })
    }

    /// The score in a verdict, or nil when the verdict does not follow the format.
    package static func score(in verdict: String, scale: Int) -> Int? { JudgePrompt.score(in: verdict, scale: scale) }
}
