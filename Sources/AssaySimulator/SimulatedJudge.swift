import AssayCore
import AssaySuites
import Foundation

/// How every simulated model answers a `judge` grading prompt: deterministically. On a
/// judge-graded item, by comparing the graded response with the item's reference (high score) and
/// its weak draft (low score). On an item graded otherwise (a cascade's judge check, live or via
/// `assay regrade --judge-check`), by the item's own grader, wrong on `checkSlip` of the answers
/// (a stable draw per answer), as a real judge sometimes is.
enum SimulatedJudge {
    /// The share of checked answers whose verdict the simulated judge gets wrong.
    static let checkSlip = 0.08

    static func verdict(for prompt: String, index: [String: (suite: Suite, item: SuiteItem)]) -> String? {
        guard prompt.hasPrefix(JudgeGrader.rubricMarker),
              let task = section(of: prompt, after: JudgeGrader.taskMarker + "\n", before: "\n\n" + JudgeGrader.responseMarker),
              let response = section(of: prompt, after: JudgeGrader.responseMarker + "\n", before: "\n### End of response"),
              let scaleText = prompt.components(separatedBy: "SCORE: n/").last, let scale = Int(scaleText.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        let known = index[task]
        let (fraction, comment) = if let known, !known.suite.grader.isJudge {
            checkJudgement(of: response, suite: known.suite, item: known.item)
        } else {
            judgement(of: response, item: known?.item)
        }
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

    /// The judge check's view of an answer to an item graded otherwise: high when the item's
    /// grader passes it (code: when it holds the reference solution), low when not, flipped on a
    /// stable `checkSlip` share of answers.
    static func checkJudgement(of response: String, suite: Suite, item: SuiteItem) -> (fraction: Double, comment: String) {
        var right: Bool
        switch suite.grader {
        case .pythonTests:
            let reference = item.reference?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            right = !reference.isEmpty && response.contains(reference)
        default:
            right = suite.grader.grade(response, item: item).score >= 0.5
        }
        if StableHash.unit("judge-check-slip", suite.name, item.id, response) < checkSlip { right.toggle() }
        return right ? (0.9, "The response answers the task correctly and directly.")
            : (0.2, "The response does not answer the task correctly.")
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
