import AssayCore
import Foundation

/// Reads suite files, reporting every problem at once with file:line and key path.
public enum SuiteLoader {
    /// The largest suite file read (the biggest shipped suite is ~0.4 MB); past it a file is
    /// refused without being read whole.
    package static let maxFileBytes = 8 << 20
    static let suiteKeys = ["suite", "task", "version", "description", "grader", "system", "items"]
    static let itemKeys = ["id", "prompt", "answer", "difficulty", "choices", "reference", "cluster", "tests",
                           "entry_point", "buggy"]

    /// Loads one suite file. Throws `DiagnosticsError` with every problem found.
    public static func load(file path: String, strict: Bool = false) throws -> Suite {
        let (suite, diagnostics) = check(file: path)
        let failing = diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing || suite == nil { throw DiagnosticsError(diagnostics) }
        return suite!
    }

    /// Reads one file and returns the suite (nil on errors) with all diagnostics.
    public static func check(file path: String) -> (Suite?, [Diagnostic]) {
        let sink = DiagnosticSink(file: path)
        let data: Data
        switch CappedFile.read(path, limit: maxFileBytes) {
        case .data(let contents): data = contents
        case .tooLarge(let limit):
            sink.error(line: nil, "", "the file is larger than \(CappedFile.describe(limit)), the most a suite file may hold; "
                       + "split it into several suites (one file each)")
            return (nil, sink.diagnostics)
        case .unreadable:
            sink.error(line: nil, "", "cannot read the file (does it exist and is it readable?)")
            return (nil, sink.diagnostics)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            sink.error(line: nil, "", "the file is not UTF-8 text")
            return (nil, sink.diagnostics)
        }
        let suite = parse(text, file: path, sink: sink, contentSHA256: sha256Hex(Array(data)))
        return (sink.hasErrors ? nil : suite, sink.diagnostics)
    }

    /// Parses suite text; diagnostics go to `sink`.
    public static func parse(_ text: String, file: String, sink: DiagnosticSink, contentSHA256: String? = nil) -> Suite? {
        guard let root = YAMLValue.parse(text, sink: sink), let map = root.mapping(allowed: suiteKeys) else { return nil }
        let name = map.required("suite", hint: "the suite's kebab-case name")?.string()
        if let name, let node = map["suite"], !isKebab(name) {
            node.error("'\(name)' should be kebab-case (lowercase letters, digits and '-')")
        }
        let task = map.required("task", hint: "the task kind, e.g. math")?.string()
        if let task, let node = map["task"], !isKebab(task) {
            node.error("'\(task)' should be kebab-case (lowercase letters, digits and '-')")
        }
        let version = map.required("version", hint: "an integer, bumped when items change meaning")?.int(in: 1...1_000_000)
        let description = map["description"]?.string()
        let system = map["system"]?.string()
        let grader = map.required("grader", hint: "e.g. {type: numeric, tolerance: 0.001}").flatMap(GraderParser.parse)
        var items: [SuiteItem] = []
        if let list = map.required("items", hint: "a list of {id, prompt, answer}")?.sequence() {
            if list.isEmpty { map["items"]?.error("a suite needs at least one item") }
            var seen: [String: Int] = [:]
            for value in list {
                guard let item = parseItem(value, grader: grader) else { continue }
                if let firstLine = seen[item.id] {
                    value.error("duplicate item id '\(item.id)' (first used on line \(firstLine))")
                    continue
                }
                seen[item.id] = value.line ?? 0
                items.append(item)
            }
        }
        guard let name, let task, let version, let grader, !sink.hasErrors else { return nil }
        return Suite(name: name, task: task, version: version, description: description, grader: grader,
                     system: system, items: items, file: file,
                     contentSHA256: contentSHA256 ?? sha256Hex(text))
    }

    static func parseItem(_ value: YAMLValue, grader: GraderSpec?) -> SuiteItem? {
        guard let map = value.mapping(allowed: itemKeys) else { return nil }
        let id = map.required("id")?.string()
        let prompt = map.required("prompt")?.string()
        let difficulty = map["difficulty"]?.int(in: 1...5)
        let choices = map["choices"]?.stringList()
        let reference = map["reference"]?.string()
        let cluster = map["cluster"]?.string()
        let tests = map["tests"]?.string()
        let entryPoint = map["entry_point"]?.string()
        let buggy = map["buggy"]?.string()
        // Code and judge items may go without an answer: tests or the rubric say what is right.
        let answerOptional = grader.map { !$0.isPure } ?? false
        let answerValue: YAMLValue? = answerOptional ? map["answer"] : map.required("answer")
        guard answerOptional || answerValue != nil else { return nil }
        // Text graders compare text: an unquoted yes, on or 007 stays as written, not true or 7.
        var answer = answerValue?.json() ?? .null
        switch grader {
        case .exact, .choice, .regex:
            if let text = answerValue?.scalarText, answer.arrayValue == nil, answer.objectValue == nil, answer != .null {
                answer = .string(text)
            }
        default: break
        }
        if let grader {
            AnswerChecker.check(answer: answer, at: answerValue ?? value, choices: choices, choicesNode: map["choices"],
                                reference: reference, grader: grader)
            CodeItemChecker.check(map, item: value, grader: grader)
        }
        guard let id, let prompt else { return nil }
        return SuiteItem(id: id, prompt: prompt, answer: answer, difficulty: difficulty, choices: choices,
                         reference: reference, cluster: cluster, tests: tests, entryPoint: entryPoint, buggy: buggy)
    }

    static func isKebab(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// Every `*.yaml`/`*.yml` file under `directory`, sorted.
    package static func suiteFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw AssayError(.notFound, "suite directory '\(directory)' does not exist",
                             hint: "pass --suites DIR or set 'suites:' in assay.yaml")
        }
        if !isDirectory.boolValue { return [directory] }
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        for case let relative as String in enumerator where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
            files.append((directory as NSString).appendingPathComponent(relative))
        }
        return files.sorted()
    }

    /// Loads every suite under `directory`; throws one `DiagnosticsError` listing every problem
    /// in every file, and reports suites that share a name.
    public static func loadAll(directory: String, strict: Bool = false) throws -> [Suite] {
        var suites: [Suite] = []
        var diagnostics: [Diagnostic] = []
        var failed = false
        for file in try suiteFiles(in: directory) {
            let (suite, found) = check(file: file)
            diagnostics += found
            if found.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) { failed = true }
            if let suite {
                if let other = suites.first(where: { $0.name == suite.name }) {
                    diagnostics.append(Diagnostic(.error, file: file, line: 1, keyPath: "suite",
                                                  message: "suite name '\(suite.name)' is also used by \(other.file)"))
                    failed = true
                }
                suites.append(suite)
            }
        }
        if failed { throw DiagnosticsError(diagnostics) }
        return suites
    }
}
