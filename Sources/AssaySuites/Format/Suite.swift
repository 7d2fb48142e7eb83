import AssayCore

/// A graded task suite, as loaded from one YAML file (see docs/suite-format.md).
public struct Suite: Hashable, Sendable {
    public var name: String
    /// The task kind the catalog and router use, e.g. `math`.
    public var task: String
    public var version: Int
    public var description: String?
    public var grader: GraderSpec
    public var system: String?
    public var items: [SuiteItem]
    /// Path the suite was read from, for messages.
    public var file: String
    /// SHA-256 of the file's bytes: a changed item changes the hash even if `version` is not bumped.
    public var contentSHA256: String

    public init(name: String, task: String, version: Int, description: String? = nil, grader: GraderSpec,
                system: String? = nil, items: [SuiteItem], file: String = "<memory>", contentSHA256: String = "") {
        self.name = name
        self.task = task
        self.version = version
        self.description = description
        self.grader = grader
        self.system = system
        self.items = items
        self.file = file
        self.contentSHA256 = contentSHA256
    }
}

/// One question of a suite and what a correct answer is.
public struct SuiteItem: Hashable, Sendable {
    public var id: String
    public var prompt: String
    /// The expected answer; its shape depends on the grader (see `GraderSpec`).
    public var answer: JSONValue
    /// 1 (easy) … 5 (hard); nil when the author did not say.
    public var difficulty: Int?
    /// Options for the `choice` grader, rendered as `A) …` after the prompt.
    public var choices: [String]?
    /// One known-good response, for documentation and the simulator.
    public var reference: String?
    /// Items sharing a passage or template share a cluster, for clustered standard errors.
    public var cluster: String?
    /// Hidden Python tests (`def test_…():` functions using assert) for the `python-tests` grader.
    public var tests: String?
    /// The function the answer must define, for `python-tests` (picks the right code block).
    public var entryPoint: String?
    /// A plausible wrong answer (for `python-tests`: code that fails some tests); the simulator's
    /// wrong answer, and validation checks that it does fail.
    public var buggy: String?

    public init(id: String, prompt: String, answer: JSONValue, difficulty: Int? = nil, choices: [String]? = nil,
                reference: String? = nil, cluster: String? = nil, tests: String? = nil, entryPoint: String? = nil,
                buggy: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.answer = answer
        self.difficulty = difficulty
        self.choices = choices
        self.reference = reference
        self.cluster = cluster
        self.tests = tests
        self.entryPoint = entryPoint
        self.buggy = buggy
    }

    /// The names of the `test_…` functions in `tests`, in order (what the sandbox runs).
    package var testNames: [String] {
        guard let tests else { return [] }
        var names: [String] = []
        for line in tests.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("def test_") {
            let name = line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !names.contains(String(name)) { names.append(String(name)) }
        }
        return names
    }

    /// The user message sent to a model: the prompt, then lettered choices if any.
    public var renderedPrompt: String {
        guard let choices, !choices.isEmpty else { return prompt }
        let options = choices.enumerated().map { index, text in "\(SuiteItem.letter(index))) \(text)" }
        return prompt.trimmingSpacesAndNewlines() + "\n\n" + options.joined(separator: "\n")
    }

    public static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(65 + index)))
    }

    public static func index(ofLetter letter: String) -> Int? {
        guard letter.count == 1, let scalar = letter.uppercased().unicodeScalars.first,
              scalar.value >= 65, scalar.value < 91 else { return nil }
        return Int(scalar.value) - 65
    }
}

extension String {
    func trimmingSpacesAndNewlines() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
