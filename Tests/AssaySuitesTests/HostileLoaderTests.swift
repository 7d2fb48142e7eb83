import AssayCore
import AssaySuites
import AssayTestSupport
import Foundation
import Testing

/// Suite files built to hurt the loader: aliases that expand exponentially, files too big to read.
@Suite("Suite loader against hostile files")
struct HostileLoaderTests {
    /// A "billion laughs" document: nine levels of ten aliases each, 10⁹ strings if expanded.
    static let laughs: String = {
        var lines = ["suite: laughs", "task: math", "version: 1", "grader: {type: exact}", "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines.append("items: [{id: a, prompt: p, answer: *l9}]")
        return lines.joined(separator: "\n")
    }()

    @Test("a billion-laughs suite fails fast, naming the file, the line and what to do")
    func billionLaughs() throws {
        let path = try Fixtures.file(named: "laughs.yaml", contents: Self.laughs)
        let clock = ContinuousClock()
        var result: (Suite?, [Diagnostic]) = (nil, [])
        let elapsed = clock.measure { result = SuiteLoader.check(file: path) }
        #expect(elapsed < .seconds(1), "refused before expanding: \(elapsed)")
        #expect(result.0 == nil)
        let error = try #require(result.1.first { $0.severity == .error })
        #expect(result.1.count == 1)
        // Levels 1–3 add 12,300 nodes; the eighth alias on line 9 (level 4, 11,110 nodes each) crosses 100,000.
        #expect(error.description.hasPrefix("\(path):9:"), "\(error.description)")
        #expect(error.message.contains("aliases expand this document past 100000 extra nodes"))
        #expect(error.message.contains("Write the repeated content out, or use fewer nested aliases"))
    }

    @Test("aliases used as mapping keys (hashed to find duplicates) are refused before Yams builds them")
    func aliasKeys() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        lines.append("keys: {? *a8 : 1, ? [*a8] : 2}")
        let sink = DiagnosticSink(file: "keys.yaml")
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = SuiteLoader.parse(lines.joined(separator: "\n"), file: "keys.yaml", sink: sink) }
        #expect(elapsed < .seconds(1))
        #expect(sink.diagnostics.map(\.message).contains { $0.contains("aliases expand this document past") })
    }

    @Test("a few ordinary aliases still load")
    func ordinaryAliases() throws {
        let sink = DiagnosticSink(file: "ok.yaml")
        let suite = SuiteLoader.parse("""
            suite: shared
            task: math
            version: 1
            grader: {type: exact}
            items:
              - {id: a, prompt: &p "Say yes.", answer: &y "yes"}
              - {id: b, prompt: *p, answer: *y, cluster: again}
            """, file: "ok.yaml", sink: sink)
        #expect(sink.diagnostics.isEmpty, "\(sink.diagnostics)")
        #expect(suite?.items.map(\.prompt) == ["Say yes.", "Say yes."])
    }

    @Test("a suite file over 8 MiB is refused without being read, naming the file and the limit")
    func oversized() throws {
        let path = try Fixtures.temporaryDirectory() + "/huge.yaml"
        let header = "suite: huge\ntask: math\nversion: 1\ngrader: {type: exact}\nitems: [{id: a, prompt: p, answer: a}]\n#"
        var data = Data(header.utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: SuiteLoader.maxFileBytes + 1 - data.count))
        try data.write(to: URL(fileURLWithPath: path))
        let (suite, diagnostics) = SuiteLoader.check(file: path)
        #expect(suite == nil)
        #expect(diagnostics.map(\.description) == [
            "\(path): error: the file is larger than 8 MiB, the most a suite file may hold; split it into several suites (one file each)"])
        // One byte less is read as usual.
        try data.prefix(SuiteLoader.maxFileBytes).write(to: URL(fileURLWithPath: path))
        #expect(SuiteLoader.check(file: path).0?.name == "huge")
    }
}
