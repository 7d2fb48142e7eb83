import AssayCore
import AssaySuites
import Foundation

/// Writes the text a simulated model sends back: a correct answer, or the kind of wrong answer
/// a real model gives (an arithmetic slip, a neighbouring label, a mis-copied field), never a
/// placeholder. `variant` is a deterministic draw that picks among plausible mistakes.
struct AnswerWriter {
    let suite: Suite
    let item: SuiteItem
    let chatty: Bool
    let variant: Double

    func answer(correct: Bool) -> String {
        switch suite.grader {
        case .numeric(let tolerance): numeric(correct: correct, tolerance: tolerance)
        case .choice: choice(correct: correct)
        case .exact: label(correct: correct)
        case .json: json(correct: correct)
        case .contains: contains(correct: correct)
        case .regex: regex(correct: correct)
        case .pythonTests: code(correct: correct)
        case .judge: prose(correct: correct)
        }
    }

    /// The item's reference solution, or its buggy variant (code that fails some tests).
    private func code(correct: Bool) -> String {
        let body = (correct ? item.reference : item.buggy) ?? "def \(item.entryPoint ?? "solution")(*args):\n    raise NotImplementedError\n"
        let fenced = "```python\n" + body.trimmingCharacters(in: .whitespacesAndNewlines) + "\n```"
        return chatty ? "Here is an implementation:\n\n\(fenced)\n\nIt handles the edge cases described in the task." : fenced
    }

    /// The item's reference text, or its weaker draft (what the judge should mark down).
    private func prose(correct: Bool) -> String {
        if correct { return item.reference ?? "" }
        return item.buggy ?? "Sorry, I can only give a brief answer: " + String(item.prompt.prefix(60))
    }

    private func pick<T>(_ options: [T]) -> T { options[min(options.count - 1, Int(variant * Double(options.count)))] }

    private func numeric(correct: Bool, tolerance: Double) -> String {
        let expected = item.answer.numberValue ?? NumberExtractor.parse(item.answer.scalarText ?? "") ?? 0
        var value = expected
        if !correct {
            // Real slips: use a number from the prompt, stop one step early, or slip by a step.
            let fromPrompt = NumberExtractor.numbers(in: item.prompt).filter { abs($0 - expected) > max(tolerance, 1e-9) }
            let slips = [expected + 1, expected - 1, expected * 2, expected / 2, expected * 10, expected + 10]
                .filter { abs($0 - expected) > max(tolerance, 1e-9) }
            let candidates = (fromPrompt + slips).isEmpty ? [expected + 1] : fromPrompt + slips
            value = pick(candidates)
        }
        let text = correct ? (item.answer.scalarText ?? String(value))
            : value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
        return chatty ? "Working through it step by step, the result is \(text)." : text
    }

    private func choice(correct: Bool) -> String {
        let count = item.choices?.count ?? 4
        let expected = SuiteItem.index(ofLetter: item.answer.stringValue ?? "A") ?? 0
        var index = expected
        if !correct {
            let others = (0..<count).filter { $0 != expected }
            index = pick(others)
        }
        let letter = SuiteItem.letter(index)
        let option = item.choices.map { $0[min(index, $0.count - 1)] } ?? ""
        return chatty ? "Checking each option against the constraints, \"\(option)\" is the one that holds.\nAnswer: \(letter)"
                      : "Answer: \(letter)"
    }

    private func label(correct: Bool) -> String {
        let expected = item.answer.scalarText ?? ""
        var text = expected
        if !correct {
            let labels = Set(suite.items.compactMap { $0.answer.scalarText }).subtracting([expected]).sorted()
            text = labels.isEmpty ? "unknown" : pick(labels)
        }
        return chatty ? "\(text)." : text
    }

    private func json(correct: Bool) -> String {
        var object = item.answer.objectValue ?? [:]
        if !correct, !object.isEmpty {
            // A weak extraction confuses several fields at once: a value copied from the wrong
            // field, a truncated value, or a dropped one. About half the fields go wrong.
            let keys = object.keys.sorted()
            let start = Int(variant * Double(keys.count)) % keys.count
            let wrongCount = max(1, keys.count / 2)
            let original = object
            for offset in 0..<wrongCount {
                let key = keys[(start + offset) % keys.count]
                let donor = keys.map { original[$0]! }.first { $0 != original[key] && $0 != .null }
                switch (original[key], donor) {
                case (.string(let s), _) where s.count > 3 && offset % 2 == 1:
                    object[key] = .string(String(s.dropLast(2)))
                case (_, let other?) where offset % 2 == 0:
                    object[key] = other
                default:
                    object[key] = original[key] == .null ? .string("n/a") : .null
                }
            }
        }
        let body = JSONValue.object(object).jsonText
        return chatty ? "Here is the extracted record:\n```json\n\(body)\n```" : body
    }

    private func contains(correct: Bool) -> String {
        let answer = item.answer.objectValue ?? [:]
        func list(_ key: String) -> [String] { answer[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let reference = item.reference ?? (list("all_of") + list("any_of").prefix(1)).joined(separator: ", ")
        guard !correct else { return reference }
        // Real instruction-following slips: a forbidden word creeps in, a required part is left
        // out, or the reply drifts into a generic sentence. Take the first that really fails.
        var attempts: [String] = []
        if let forbidden = list("none_of").first { attempts.append("Sure! " + reference + " \(forbidden)") }
        let dropAll = (list("all_of") + list("any_of")).reduce(reference) {
            $0.replacingOccurrences(of: $1, with: "", options: .caseInsensitive)
        }
        attempts.append(dropAll)
        if variant >= 0.5 { attempts.reverse() }
        attempts.append("Sure, here is what you asked for.")
        return attempts.first { !ContainsGrader.failures(answer: answer, response: $0).isEmpty } ?? attempts.last!
    }

    private func regex(correct: Bool) -> String {
        // A correct answer is the item's reference response (empty when the suite has none).
        let reference = item.reference ?? ""
        if correct { return reference }
        let pattern = item.answer.stringValue ?? ""
        let attempts = ["I would answer this as follows: " + String(reference.reversed()), "Sorry, I can't help with that.", ""]
        return attempts.first { !RegexGrader.matches(pattern: pattern, text: $0, caseInsensitive: true) } ?? ""

    }
}
