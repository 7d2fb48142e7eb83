import AssayCore

/// Grades a multiple-choice response: finds the letter the response commits to.
enum ChoiceGrader {
    static func grade(_ response: String, item: SuiteItem) -> Grade {
        guard let expected = item.answer.stringValue?.uppercased() else { return .fail("the suite's answer is not a letter") }
        guard let chosen = chosenLetter(response, choices: item.choices ?? []) else {
            return .fail("no option letter found in '\(excerpt(response))'")
        }
        return chosen == expected ? .pass("chose \(chosen)") : .fail("chose \(chosen), expected \(expected)")
    }

    /// The letter after the last `Answer:`; else a response that is only a letter (`B`, `(B)`,
    /// `B)`); else the last line's leading letter; else the option whose text the response equals.
    static func chosenLetter(_ response: String, choices: [String]) -> String? {
        let letters = Set((0..<max(choices.count, 5)).map { SuiteItem.letter($0) })
        func letter(in text: String) -> String? {
            let trimmed = text.trimmingSpacesAndNewlines()
            let core = trimmed.filter { !"()[]*.:`'\"".contains($0) }.trimmingSpacesAndNewlines()
            if core.count == 1, letters.contains(core.uppercased()) { return core.uppercased() }
            if let first = core.first, letters.contains(String(first).uppercased()), core.count > 1 {
                let second = core[core.index(after: core.startIndex)]
                let afterCharacter = trimmed.dropFirst().first
                if second == " " && (afterCharacter == ")" || afterCharacter == "." || afterCharacter == ":") {
                    return String(first).uppercased()
                }
            }
            return nil
        }
        let lower = response.lowercased()
        if let range = lower.range(of: "answer:", options: .backwards) ?? lower.range(of: "answer is", options: .backwards) {
            let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
            let rest = String(response.dropFirst(offset)).trimmingSpacesAndNewlines()
            let token = String(rest.prefix { !$0.isWhitespace })
            if let found = letter(in: token) ?? letter(in: rest) { return found }
        }
        if let found = letter(in: response) { return found }
        let lines = response.split(whereSeparator: \.isNewline).map(String.init)
        if let last = lines.last, let found = letter(in: last) ?? letter(in: String(last.prefix(3))) { return found }
        let normalised = response.trimmingSpacesAndNewlines().lowercased()
        if let index = choices.firstIndex(where: { $0.lowercased() == normalised }) { return SuiteItem.letter(index) }
        return nil
    }
}
