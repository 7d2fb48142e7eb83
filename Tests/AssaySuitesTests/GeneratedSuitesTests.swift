import AssaySuites
import AssayTestSupport
import Foundation
import Testing

/// The math, reasoning, code-review and classification suites grown by `scripts/suitegen/`: enough items to settle
/// verdicts at the default margin, every generated answer verified by an independent solver.
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

    @Test("math, reasoning, code-review and classification load with at least 150 items, unique ids and prompts, hand-written items kept")
    func sizes() throws {
        let suites = try Fixtures.shippedSuites()
        for task in ["math", "reasoning", "code-review", "classification"] {
            let suite = try #require(suites.first { $0.task == task })
            #expect(suite.items.count >= 150, "\(suite.name): \(suite.items.count) items")
            #expect(Set(suite.items.map(\.id)).count == suite.items.count, "\(suite.name): item ids repeat")
            #expect(Set(suite.items.map(\.renderedPrompt)).count == suite.items.count,
                    "\(suite.name): a prompt repeats (the simulator finds items by prompt)")
            let generated = suite.items.filter { $0.id.hasPrefix("gen-") }
            #expect(generated.count >= 100 && suite.items.count - generated.count >= 30, "\(suite.name): hand-written items kept")
            // Classification's generator stops at d4: its d5 (sarcasm, mixed intents) stays hand-written,
            // since a template cannot state one intent by construction there.
            let levels = task == "classification" ? 1...4 : 1...5
            #expect(Set(generated.compactMap(\.difficulty)) == Set(levels), "\(suite.name): generated items span d\(levels.lowerBound)–d\(levels.upperBound)")
        }
        let math = try #require(suites.first { $0.task == "math" })
        for item in math.items {
            #expect(item.answer.numberValue != nil, "\(item.id): the answer is not a number")
            // The suite's own grader accepts its answer written as a number.
            let grade = math.grader.grade(item.answer.scalarText ?? "", item: item)
            #expect(grade.passed, "\(item.id): \(grade.reason)")
        }
        // The choice suites' grader accepts each generated item's own answer letter, and only it.
        for task in ["reasoning", "code-review"] {
            let suite = try #require(suites.first { $0.task == task })
            for item in suite.items where item.id.hasPrefix("gen-") {
                let letter = try #require(item.answer.scalarText)
                #expect(suite.grader.grade("Answer: \(letter)", item: item).passed, "\(item.id)")
                let other = letter == "A" ? "B" : "A"
                #expect(!suite.grader.grade("Answer: \(other)", item: item).passed, "\(item.id)")
            }
        }
    }

    @Test("the generators' checks pass on the shipped files: each generated item verified again by an independent solver",
          arguments: [("math.py", "123 generated, each answer solved again from its prompt: ok"),
                      ("reasoning.py", "123 generated, each puzzle solved again from its prompt: ok"),
                      ("code_review.py", "130 generated, each bug and its one repair run again: ok"),
                      ("classification.py", "124 generated, labels by construction, each found again by a second labeller: ok")])
    func generatorChecks(script: String, verdict: String) throws {
        let check = try Self.check(script)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains(verdict), "\(check.output)")
    }

    /// The shipped file with the answer letter of the first item whose id starts with `id` moved to the next option.
    static func tampered(_ file: String, item id: String, into directory: String) throws -> (path: String, was: String, now: String) {
        var lines = try String(contentsOfFile: Fixtures.suitesDirectory + "/" + file, encoding: .utf8).components(separatedBy: "\n")
        let at = try #require(lines.firstIndex { $0.hasPrefix("  - id: " + id) })
        let answer = try #require(lines[at...].firstIndex { $0.hasPrefix("    answer: ") })
        let was = String(lines[answer].dropFirst("    answer: ".count))
        let now = was == "A" ? "B" : "A"
        lines[answer] = "    answer: " + now
        let path = directory + "/" + (file as NSString).lastPathComponent
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (path, was, now)
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

        // A puzzle whose answer letter names a wrong option; a bug whose answer names a repair that does not fix it.
        let puzzle = try Self.tampered("reasoning/logic-puzzles.yaml", item: "gen-knights-1", into: directory)
        let reasoning = try Self.check("reasoning.py", file: puzzle.path)
        #expect(reasoning.status == 1)
        #expect(reasoning.output.contains("the suite says \(puzzle.now)"), "\(reasoning.output)")
        let bug = try Self.tampered("code-review/find-the-bug.yaml", item: "gen-binary-search-bound-1", into: directory)
        let review = try Self.check("code_review.py", file: bug.path)
        #expect(review.status == 1)
        #expect(review.output.contains("['\(bug.was)'], the suite says \(bug.now)"), "\(review.output)")

        // A support message labelled with another intent.
        var intents = try String(contentsOfFile: Fixtures.suitesDirectory + "/classification/support-ticket-intent.yaml", encoding: .utf8)
            .components(separatedBy: "\n")
        let first = try #require(intents.firstIndex { $0 == "  - id: gen-billing-1" })
        let label = try #require(intents[first...].firstIndex { $0.hasPrefix("    answer: ") })
        intents[label] = "    answer: shipping"
        try intents.joined(separator: "\n").write(toFile: directory + "/intents.yaml", atomically: true, encoding: .utf8)
        let mislabelled = try Self.check("classification.py", file: directory + "/intents.yaml")
        #expect(mislabelled.status == 1)
        #expect(mislabelled.output.contains("the second labeller finds ['billing'], the suite says shipping"), "\(mislabelled.output)")
    }
}
