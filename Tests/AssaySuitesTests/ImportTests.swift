import AssayCore
import AssaySuites
import AssayTestSupport
import Foundation
import Testing

/// Fixtures written for Assay in the HumanEval and GSM8K formats (not copied from either).
enum ImportFixtures {
    static func humanEvalLine(_ id: Int, name: String, body: String, test: String) -> String {
        let record: JSONValue = .object([
            "task_id": .string("HumanEval/\(id)"),
            "prompt": .string("def \(name)(xs):\n    \"\"\" Return something about xs. \"\"\"\n"),
            "entry_point": .string(name),
            "canonical_solution": .string(body),
            "test": .string("\n\nMETADATA = {'author': 'assay'}\n\n\ndef check(candidate):\n\(test)\n"),
        ])
        return record.jsonText
    }

    static let humanEval = [
        humanEvalLine(0, name: "total", body: "    return sum(xs)\n", test: "    assert candidate([1, 2]) == 3\n    assert candidate([]) == 0"),
        humanEvalLine(1, name: "largest", body: "    return max(xs) if xs else None\n", test: "    assert candidate([4, 9]) == 9\n    assert candidate([]) is None"),
    ].joined(separator: "\n") + "\n"

    static let gsm8k = [
        #"{"question": "Mia has 3 boxes of 12 pens and gives away 5 pens. How many pens are left?", "answer": "3 boxes hold 3 * 12 = <<3*12=36>>36 pens.\nShe has 36 - 5 = <<36-5=31>>31 left.\n#### 31"}"#,
        #"{"question": "A train ticket costs $1,250 for a group. How much do 2 groups pay?", "answer": "2 * 1250 = 2500\n#### 2,500"}"#,
    ].joined(separator: "\n") + "\n"
}

@Suite("Importers")
struct ImportTests {
    @Test("HumanEval jsonl becomes a python-tests suite that loads")
    func humanEval() throws {
        let file = try Fixtures.file(named: "HumanEval.jsonl", contents: ImportFixtures.humanEval)
        let result = try SuiteImporter.convert(file: file, format: .humaneval)
        let path = try Fixtures.file(named: "humaneval.yaml", contents: result.yaml)
        let suite = try SuiteLoader.load(file: path)
        #expect(suite.task == "coding" && suite.items.count == 2)
        #expect(suite.items[0].id == "humaneval-0")
        #expect(suite.items[0].entryPoint == "total")
        #expect(suite.items[0].testNames == ["test_check"])
        #expect(suite.items[0].reference?.contains("return sum(xs)") == true)
    }

    @Test("jsonl.gz is read too, and canonical solutions pass their own tests through the grader",
          .enabled(if: SandboxEnvironment.current.canRunAnswers, "needs python3, and bubblewrap or ASSAY_SANDBOX=none"))
    func gzipAndGrade() async throws {
        let plain = try Fixtures.file(named: "HumanEval.jsonl", contents: ImportFixtures.humanEval)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", plain]
        try gzip.run()
        gzip.waitUntilExit()
        let result = try SuiteImporter.convert(file: plain + ".gz", format: .humaneval)
        let suite = try SuiteLoader.load(file: try Fixtures.file(named: "he.yaml", contents: result.yaml))
        let grading = Grading()
        for item in suite.items {
            let grade = try await grading.grade(try #require(item.reference), suite: suite, item: item).grade
            #expect(grade.passed, "\(item.id): \(grade.reason)")
            let wrong = try await grading.grade("def \(item.entryPoint!)(xs):\n    return 0\n", suite: suite, item: item).grade
            #expect(!wrong.passed)
        }
    }

    @Test("GSM8K jsonl becomes a numeric suite with the #### answers and a step-based difficulty")
    func gsm8k() throws {
        let file = try Fixtures.file(named: "gsm8k.jsonl", contents: ImportFixtures.gsm8k)
        let result = try SuiteImporter.convert(file: file, format: .gsm8k)
        let suite = try SuiteLoader.load(file: try Fixtures.file(named: "gsm8k.yaml", contents: result.yaml))
        #expect(suite.task == "math" && suite.items.count == 2)
        #expect(suite.grader.grade("Answer: 31", item: suite.items[0]).passed)
        #expect(suite.grader.grade("Answer: 2500", item: suite.items[1]).passed)
        #expect(suite.items[0].difficulty == 1)
    }

    @Test("a bad record is an error naming the file, line and field")
    func badRecord() throws {
        let file = try Fixtures.file(named: "bad.jsonl", contents: "{\"question\": \"q\", \"answer\": \"no marker\"}\n")
        do {
            _ = try SuiteImporter.convert(file: file, format: .gsm8k)
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.message.contains("bad.jsonl:1: field 'answer' has no '#### N'"))
        }
        let broken = try Fixtures.file(named: "broken.jsonl", contents: "{\"task_id\": \"x\"}\nnot json\n")
        #expect(throws: AssayError.self) { try SuiteImporter.convert(file: broken, format: .humaneval) }
    }
}
