import AssaySuites
import AssayTestSupport
import Foundation
import Testing

/// The math suite grown by `scripts/suitegen/math.py`: enough items to settle verdicts at the
/// default margin, every generated answer verified.
@Suite("generated suite items")
struct GeneratedSuitesTests {
    /// Runs `python3 scripts/suitegen/<script> --check [file]` from the repository root.
    static func check(_ script: String, file: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/suitegen/" + script, "--check"] + (file.map { [$0] } ?? [])
        process.currentDirectoryURL = URL(fileURLWithPath: Fixtures.repoRoot)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("math loads with at least 150 items, unique ids and prompts, hand-written items kept")
    func sizes() throws {
        let suites = try Fixtures.shippedSuites()
        for task in ["math"] {
            let suite = try #require(suites.first { $0.task == task })
            #expect(suite.items.count >= 150, "\(suite.name): \(suite.items.count) items")
            #expect(Set(suite.items.map(\.id)).count == suite.items.count, "\(suite.name): item ids repeat")
            #expect(Set(suite.items.map(\.renderedPrompt)).count == suite.items.count,
                    "\(suite.name): a prompt repeats (the simulator finds items by prompt)")
            let generated = suite.items.filter { $0.id.hasPrefix("gen-") }
            #expect(generated.count >= 100 && suite.items.count - generated.count >= 30, "\(suite.name): hand-written items kept")
            #expect(Set(generated.compactMap(\.difficulty)).count == 5, "\(suite.name): generated items span d1–d5")
        }
        let math = try #require(suites.first { $0.task == "math" })
        for item in math.items {
            #expect(item.answer.numberValue != nil, "\(item.id): the answer is not a number")
            // The suite's own grader accepts its answer written as a number.
            let grade = math.grader.grade(item.answer.scalarText ?? "", item: item)
            #expect(grade.passed, "\(item.id): \(grade.reason)")
        }
    }

    @Test("the generators' checks pass on the shipped files: math answers solved again from each prompt's numbers")
    func generatorChecks() throws {
        let math = try Self.check("math.py")
        #expect(math.status == 0, "\(math.output)")
        #expect(math.output.contains("123 generated, each answer solved again from its prompt: ok"), "\(math.output)")
    }

    @Test("a wrong generated answer is caught")
    func tamperedFilesFail() throws {
        let directory = try Fixtures.temporaryDirectory("assay-suitegen")
        let mathText = try String(contentsOfFile: Fixtures.suitesDirectory + "/math/arithmetic-word-problems.yaml", encoding: .utf8)
        // The first generated item: 'One pack of … costs $P. How much do K packs cost' — give it a wrong answer.
        let lines = mathText.components(separatedBy: "\n")
        let at = try #require(lines.firstIndex { $0.hasPrefix("  - id: gen-unit-price-1") })
        var tampered = lines
        tampered[at + 2] = "    answer: 1.5"
        try tampered.joined(separator: "\n").write(toFile: directory + "/math.yaml", atomically: true, encoding: .utf8)
        let math = try Self.check("math.py", file: directory + "/math.yaml")
        #expect(math.status == 1)
        #expect(math.output.contains("the suite says 1.5"), "\(math.output)")
    }
}
