import AssayCore

/// Checks at load time that an item's answer has the shape its suite's grader needs, so a
/// broken suite fails in `assay suites validate`, not hours into a paid run.
enum AnswerChecker {
    static func check(answer: JSONValue, at value: YAMLValue, choices: [String]?, choicesNode: YAMLValue?,
                      reference: String?, grader: GraderSpec) {
        if choices != nil, grader != .choice {
            choicesNode?.error("'choices' only applies to the choice grader (this suite uses \(grader.typeName))")
        }
        switch grader {
        case .exact:
            if answer.scalarText == nil { value.error("the exact grader needs a text answer, found \(answer.jsonText)") }
        case .numeric:
            if answer.numberValue == nil && NumberExtractor.parse(answer.scalarText ?? "") == nil {
                value.error("the numeric grader needs a number, found \(answer.jsonText)")
            }
        case .choice:
            guard let choices, choices.count >= 2 else {
                (choicesNode ?? value).error("the choice grader needs 'choices' with at least two options")
                return
            }
            guard let letter = answer.stringValue, let index = SuiteItem.index(ofLetter: letter) else {
                value.error("the choice grader needs a letter answer such as \"B\", found \(answer.jsonText)")
                return
            }
            if index >= choices.count {
                value.error("answer '\(letter)' is past the last choice (\(SuiteItem.letter(choices.count - 1)))")
            }
        case .regex(let caseInsensitive):
            guard let pattern = answer.stringValue else {
                value.error("the regex grader needs a pattern string, found \(answer.jsonText)")
                return
            }
            if case .failure(let error) = RegexGrader.compile(pattern, caseInsensitive: caseInsensitive) {
                value.error("not a valid regular expression: \(error.message)")
                return
            }
            if let reference {
                switch RegexGrader.match(pattern: pattern, text: reference, caseInsensitive: caseInsensitive) {
                case .matched, .invalidPattern: break
                case .notMatched: value.warning("the item's reference response does not match its pattern")
                case .abandoned:
                    value.warning("matching the item's reference response was abandoned after \(RegexGrader.timeLimitMs) ms: "
                                  + "the pattern backtracks too much (nested quantifiers such as (a+)+?)")
                }
            }
        case .contains:
            guard let object = answer.objectValue else {
                value.error("the contains grader needs {all_of, any_of, none_of}, found \(answer.jsonText)")
                return
            }
            let allowed = ["all_of", "any_of", "none_of"]
            for key in object.keys where !allowed.contains(key) {
                value.error("unknown key '\(key)' in a contains answer; allowed: \(allowed.joined(separator: ", "))")
            }
            for (key, list) in object where allowed.contains(key) {
                if list.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
                    value.error("'\(key)' must be a list of strings")
                }
            }
            let nonEmpty = allowed.contains { !(object[$0]?.arrayValue ?? []).isEmpty }
            if !nonEmpty { value.error("give at least one non-empty list of all_of, any_of, none_of (an empty answer passes everything)") }
            if let reference, ContainsGrader.failures(answer: object, response: reference).count > 0 {
                value.warning("the item's reference response does not satisfy its answer")
            }
        case .json(let schema):
            guard let object = answer.objectValue else {
                value.error("the json grader needs an object of expected fields, found \(answer.jsonText)")
                return
            }
            for problem in schema.violations(of: object) { value.error("expected answer breaks the schema: \(problem)") }
        case .pythonTests, .judge:
            break
        }
    }
}
