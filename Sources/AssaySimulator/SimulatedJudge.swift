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
        let item = index[task]?.item
        let clean = { (text: String?) in text?.trimmingCharacters(in: .whitespacesAndNewlines) }
        let fraction: Double
        let comment: String
        if let reference = clean(item?.reference), clean(response) == reference {
            (fraction, comment) = (0.9, "The response meets every point of the rubric; the wording could be a little tighter.")
        } else if let weak = clean(item?.buggy), clean(response) == weak {
            (fraction, comment) = (0.3, "The response misses key points the rubric asks for and adds unsupported claims.")
        } else {
            (fraction, comment) = (0.4, "The response only partly addresses the task.")
        }
        return comment + "\nSCORE: \(Int((fraction * Double(scale)).rounded()))/\(scale)"
    }

    private static func section(of text: String, after start: String, before end: String) -> String? {
        guard let open = text.range(of: start), let close = text.range(of: end, range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
