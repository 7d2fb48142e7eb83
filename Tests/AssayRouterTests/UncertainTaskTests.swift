import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import AssayStore
import Foundation
import Testing

/// Two tasks whose prompts can be blended, and a cheap entry that solves one and fails the
/// other: a prompt the classifier is unsure about must not go to it on the strength of the
/// more probable task alone.
@Suite("Uncertain task")
struct UncertainTaskTests {
    static func arithmetic(_ i: Int) -> String {
        "Add \(3 + i) apples to \(7 + i) pears and multiply the total by \(2 + i % 5). What number do you get?"
    }

    static func knights(_ i: Int) -> String {
        let names = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo"]
        return "On the island knights always tell the truth and knaves always lie. \(names[i % 6]) says that \(names[(i + 1) % 6]) is a knave. Who is the knight?"
    }

    static func document() -> CatalogDocument {
        let items = (0..<20).flatMap { i in [("math", "arith", "a-\(i)", arithmetic(i)), ("logic", "puzzles", "k-\(i)", knights(i))] }
        // cheap: every arithmetic item, no puzzle; strong: everything, at 100× the cost.
        let facts = items.flatMap { task, suite, key, _ in
            [("cheap", "none", Int64(100), task == "math" ? 1.0 : 0.0), ("strong", "high", Int64(10_000), 1.0)].map { model, effort, cost, score in
                SampleFact(provider: "sim", model: model, effort: effort, task: task, suite: suite, itemKey: key, score: score,
                           usage: Usage(inputTokens: 100, outputTokens: 10), costNusd: cost, latencyMs: 100)
            }
        }
        let prompts = Dictionary(uniqueKeysWithValues: items.map { (ItemRef(suite: $0.1, item: $0.2), $0.3) })
        var document = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000), prompts: prompts)
            .build(facts: facts)
        // Templated prompts are separable, so the fitted temperature is 1 and blends flip from
        // one task to the other within a word; real suites overlap (the demo's fits well above
        // 1). Fix one so that blends pass through uncertain posteriors.
        document.router?.classifier.temperature = 40
        return document
    }

    /// An arithmetic question with more and more of a puzzle appended: the first blend the
    /// classifier still calls math but with a posterior under `threshold` (and over 60%).
    static func ambiguous(_ snapshot: RouterSnapshot, below threshold: Double) throws -> String? {
        let puzzle = knights(101).split(separator: " ")
        for words in 1...puzzle.count {
            let prompt = arithmetic(100) + " " + puzzle.prefix(words).joined(separator: " ")
            let decision = try snapshot.decide(RouteRequest(prompt: prompt))
            if decision.task == "math" && decision.taskConfidence < threshold && decision.taskConfidence > 0.6 { return prompt }
        }
        return nil
    }

    @Test("an ambiguous prompt goes to an entry good at every plausible task, not to the top task's cheap pick")
    func ambiguousPrompt() throws {
        let document = Self.document()
        let unmixed = try RouterSnapshot(document: document, options: RouterOptions(uncertainBelow: 0))
        let mixed = try RouterSnapshot(document: document)
        let prompt = try #require(try Self.ambiguous(unmixed, below: RouterOptions().uncertainBelow))

        let before = try unmixed.decide(RouteRequest(prompt: prompt))
        #expect(before.model == "sim/cheap" && before.plausibleTasks == nil, "\(before.reason)")

        let after = try mixed.decide(RouteRequest(prompt: prompt))
        #expect(after.task == "math" && after.model == "sim/strong", "\(after.reason)")
        let plausible = try #require(after.plausibleTasks)
        #expect(Set(plausible.map(\.task)) == ["math", "logic"] && plausible.first?.task == "math")
        #expect(abs(plausible.reduce(0) { $0 + $1.probability } - 1) < 0.02)
        #expect(after.reason.contains("unsure, estimates mixed over math"), "\(after.reason)")
        // strong is 1 everywhere; cheap's expected quality is its math share.
        let cheap = try #require(after.fallbacks.first { $0.model == "sim/cheap" })
        #expect(abs(cheap.estimatedQuality - plausible[0].probability / plausible.reduce(0) { $0 + $1.probability }) < 0.05)
    }

    @Test("a confident prompt is not mixed: it still goes to the cheap entry that solves its task")
    func confidentPrompt() throws {
        let snapshot = try RouterSnapshot(document: Self.document())
        let decision = try snapshot.decide(RouteRequest(prompt: Self.arithmetic(200)))
        #expect(decision.task == "math" && decision.taskConfidence >= RouterOptions().uncertainBelow)
        #expect(decision.model == "sim/cheap" && decision.plausibleTasks == nil, "\(decision.reason)")
    }

    @Test("a task named by the caller is never mixed")
    func namedTask() throws {
        let snapshot = try RouterSnapshot(document: Self.document(), options: RouterOptions(uncertainBelow: 1.01))
        let decision = try snapshot.decide(RouteRequest(prompt: Self.knights(3) + " " + Self.arithmetic(3), model: "auto:math"))
        #expect(decision.model == "sim/cheap" && decision.plausibleTasks == nil)
    }
}
