import AssayCore

/// How a suite's answers are graded. Every grader gives a score in [0, 1] and a reason.
public enum GraderSpec: Hashable, Sendable {
    /// The response, normalised, equals the answer text.
    case exact(caseSensitive: Bool)
    /// The answer is a letter; the response's chosen letter must match.
    case choice
    /// The last number in the response is within `tolerance` of the answer.
    case numeric(tolerance: Double)
    /// The answer is a regular expression the response must match.
    case regex(caseInsensitive: Bool)
    /// The answer is `{all_of, any_of, none_of}` lists of substrings (case-insensitive).
    case contains
    /// The response holds a JSON object that satisfies `schema` and matches the answer's fields.
    case json(schema: JSONSchemaSubset)
    /// The response's code is run with the item's hidden tests in a sandbox; the score is the
    /// fraction of tests passed.
    case pythonTests(limits: SandboxLimits)
    /// A judge model scores the response against a rubric.
    case judge(JudgeRubric)

    /// Whether `grade(_:item:)` can grade without running code or calling a model.
    public var isPure: Bool {
        switch self {
        case .pythonTests, .judge: false
        default: true
        }
    }

    /// Whether a judge model grades (the grade is its verdict).
    package var isJudge: Bool {
        if case .judge = self { true } else { false }
    }

    package var typeName: String {
        switch self {
        case .exact: "exact"
        case .choice: "choice"
        case .numeric: "numeric"
        case .regex: "regex"
        case .contains: "contains"
        case .json: "json"
        case .pythonTests: "python-tests"
        case .judge: "judge"
        }
    }

    package static let typeNames = ["exact", "choice", "numeric", "regex", "contains", "json", "python-tests", "judge"]
}

/// The part of JSON Schema the `json` grader checks: required keys and per-property types.
/// Any property may be `null` (extraction tasks use null for "not present").
public struct JSONSchemaSubset: Hashable, Sendable {
    package static let typeNames = ["string", "integer", "number", "boolean", "null", "array", "object"]

    public var required: [String]
    public var properties: [String: String]
    /// When false, keys outside `properties` are a violation.
    public var additionalProperties: Bool

    public init(required: [String] = [], properties: [String: String] = [:], additionalProperties: Bool = true) {
        self.required = required
        self.properties = properties
        self.additionalProperties = additionalProperties
    }

    /// Every violation of the schema by `object`, as readable sentences.
    package func violations(of object: [String: JSONValue]) -> [String] {
        var problems: [String] = []
        for key in required where object[key] == nil { problems.append("missing key '\(key)'") }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let type = properties[key] else {
                if !additionalProperties { problems.append("unexpected key '\(key)'") }
                continue
            }
            if !JSONSchemaSubset.value(value, hasType: type) {
                problems.append("'\(key)' should be \(type), found \(value.jsonText)")
            }
        }
        return problems
    }

    static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (value, type) {
        case (.null, _): true
        case (.string, "string"), (.bool, "boolean"), (.array, "array"), (.object, "object"): true
        case (.number, "number"): true
        case (.number(let n), "integer"): n == n.rounded()
        default: false
        }
    }
}
