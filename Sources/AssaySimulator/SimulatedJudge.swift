import AssaySuites
import Foundation

/// How every simulated model answers a `judge` grading prompt: deterministically, by comparing
/// the graded response with the item's reference (high score) and its weak draft (low score).
enum SimulatedJudge {
    static func verdict(for prompt: String, index: [String: (suite: Suite, item: SuiteItem)]) -> String? {
        guard prompt.hasPrefix(JudgeGrader.rubricMarker),
              let task = section(of: prompt, after: JudgeGrader.taskMarker + "\n", before: "\n\n" + JudgeGrader.responseMarker),
              let response = section(of: prompt, after: JudgeGrader.responseMarker + "\n", before: "\n### End of response"),
              let scaleText = prompt.components(separatedBy: "SCORE: n/").last, let scale = Int(scaleText.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        let (fraction, comment) = judgement(of: response, item: index[task]?.item)
        return comment + "\nSCORE: \(Int((fraction * Double(scale)).rounded()))/\(scale)"
    }

    /// The share of the scale the simulated judge gives `response`, and its comment.
    static func judgement(of response: String, item: SuiteItem?) -> (fraction: Double, comment: String) {
        let clean = { (text: String?) in text?.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let reference = clean(item?.reference), clean(response) == reference {
            return (0.9, "The response meets every point of the rubric; the wording could be a little tighter.")
        } else if let weak = clean(item?.buggy), clean(response) == weak {
            return (0.3, "The response misses key points the rubric asks for and adds unsupported claims.")
        }
        return (0.4, "The response only partly addresses the task.")
    }

    /// The score the judge grader records for `response`: the judge's points on `scale`, over the scale.
    static func score(of response: String, item: SuiteItem, scale: Int) -> Double {
        let fraction = judgement(of: response, item: item).fraction
        return (fraction * Double(scale)).rounded() / Double(max(1, scale))
    }

    private static func section(of text: String, after start: String, before end: String) -> String? {
        guard let open = text.range(of: start), let close = text.range(of: end, range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
