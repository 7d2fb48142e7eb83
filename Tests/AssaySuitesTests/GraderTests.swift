import AssayCore
@testable import AssaySuites
import Testing

@Suite("Graders")
struct GraderTests {
    static func item(_ answer: JSONValue, choices: [String]? = nil) -> SuiteItem {
        SuiteItem(id: "x", prompt: "q", answer: answer, choices: choices)
    }

    @Test("numeric: finds the committed number", arguments: [
        ("36", true), ("The answer is 36.", true), ("36 apples", true), ("Answer: 36", true), ("$36.00", true),
        ("First 12, then 24, finally 36", true), ("12 + 24 = 35", false), ("thirty-six", false), ("36.5", false),
    ])
    func numeric(response: String, passes: Bool) {
        let grade = GraderSpec.numeric(tolerance: 0.001).grade(response, item: Self.item(.number(36)))
        #expect(grade.passed == passes, "\(grade.reason)")
    }

    @Test("numeric: thousands separators, negatives, fractions and the final answer marker")
    func numericFormats() {
        let spec = GraderSpec.numeric(tolerance: 0.001)
        #expect(spec.grade("Total: 1,234.5 dollars", item: Self.item(.number(1234.5))).passed)
        #expect(spec.grade("It drops to -3 degrees", item: Self.item(.number(-3))).passed)
        #expect(spec.grade("3/4", item: Self.item(.number(0.75))).passed)
        #expect(spec.grade("I tried 10 and 20. Final answer: 15", item: Self.item(.number(15))).passed)
        #expect(!spec.grade("no idea", item: Self.item(.number(1))).passed)
    }

    @Test("choice: the letter after 'Answer:', a bare letter, or the option text", arguments: [
        ("Answer: B", true), ("B", true), ("(B)", true), ("b)", true), ("Reasoning...\nAnswer: B", true),
        ("The answer is B.", true), ("Paris", true), ("Answer: C", false), ("A) is wrong, so Answer: B", true), ("", false),
    ])
    func choice(response: String, passes: Bool) {
        let grade = GraderSpec.choice.grade(response, item: Self.item(.string("B"), choices: ["London", "Paris", "Rome"]))
        #expect(grade.passed == passes, "\(grade.reason)")
    }

    @Test("exact: case, quotes, emphasis and a trailing period are ignored", arguments: [
        ("billing", true), ("Billing.", true), ("**billing**", true), ("`billing`", true), ("\"billing\"\n", true),
        ("Label:\nbilling", true), ("bug", false), ("billing issue", false),
    ])
    func exact(response: String, passes: Bool) {
        #expect(GraderSpec.exact(caseSensitive: false).grade(response, item: Self.item(.string("billing"))).passed == passes)
    }

    @Test("exact: case matters when the suite says so")
    func exactCaseSensitive() {
        #expect(!GraderSpec.exact(caseSensitive: true).grade("Billing", item: Self.item(.string("billing"))).passed)
    }

    @Test("regex: matches anywhere, case-insensitively by default")
    func regex() {
        let item = Self.item(.string("^\\d{3}-\\d{4}$"))
        #expect(GraderSpec.regex(caseInsensitive: true).grade("555-0123", item: item).passed)
        #expect(!GraderSpec.regex(caseInsensitive: true).grade("call 555-0123 now", item: item).passed)
        #expect(GraderSpec.regex(caseInsensitive: true).grade("HELLO", item: Self.item(.string("hello"))).passed)
        #expect(!GraderSpec.regex(caseInsensitive: false).grade("HELLO", item: Self.item(.string("hello"))).passed)
    }

    @Test("contains: all_of, any_of and none_of, with the failures named")
    func contains() {
        let item = Self.item(.object(["all_of": .array([.string("red"), .string("blue")]),
                                      "any_of": .array([.string("yellow"), .string("green")]),
                                      "none_of": .array([.string(" and ")])]))
        #expect(GraderSpec.contains.grade("Red, blue, yellow", item: item).passed)
        let missing = GraderSpec.contains.grade("red, yellow", item: item)
        #expect(!missing.passed && missing.reason.contains("'blue'"))
        let forbidden = GraderSpec.contains.grade("red and blue and green", item: item)
        #expect(!forbidden.passed && forbidden.reason.contains("forbidden"))
        #expect(!GraderSpec.contains.grade("red, blue", item: item).passed)
    }

    @Test("json: fenced or bare objects, partial credit per field, schema violations score zero")
    func json() throws {
        let schema = JSONSchemaSubset(required: ["name", "email"], properties: ["name": "string", "email": "string", "employees": "integer"])
        let spec = GraderSpec.json(schema: schema)
        let item = Self.item(.object(["name": .string("Ada Lovelace"), "email": .string("ada@example.com"), "employees": .number(12)]))
        #expect(spec.grade(#"{"name": "ada lovelace", "email": "ada@example.com", "employees": 12}"#, item: item).passed)
        #expect(spec.grade("Here:\n```json\n{\"name\": \"Ada Lovelace\", \"email\": \"ada@example.com\", \"employees\": \"12\"}\n```", item: item).score == 0,
                "a string where the schema says integer breaks the schema")
        let partial = spec.grade(#"{"name": "Ada", "email": "ada@example.com", "employees": 12}"#, item: item)
        #expect(abs(partial.score - 2.0 / 3.0) < 1e-9)
        #expect(!partial.passed)
        #expect(partial.reason.contains("name"))
        #expect(spec.grade(#"{"email": "ada@example.com"}"#, item: item).score == 0, "missing a required key")
        #expect(spec.grade("not json", item: item).score == 0)
        #expect(spec.grade(#"{"name": "Ada Lovelace", "email": "ada@example.com", "employees": null}"#, item: item).score < 1,
                "null is allowed by the schema but is not the expected 12")
    }
}
