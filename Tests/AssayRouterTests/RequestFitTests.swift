import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import AssayStore
import Foundation
import Testing

/// A request's `max_tokens` must leave room for what the entry measurably spends: an effort
/// whose reasoning alone takes more than the budget answers nothing (`finish_reason: length`).
@Suite("Fitting max_tokens")
struct RequestFitTests {
    /// One math task: `thinker@low` is cheapest but reasons ~180 tokens per answer (200 output
    /// tokens in all), `plain@none` answers in 10 at 5× the cost, `big@high` spends 900.
    static func snapshot() throws -> RouterSnapshot {
        let items = (0..<16).map { "item-\($0)" }
        var prompts: [ItemRef: String] = [:]
        for (index, key) in items.enumerated() { prompts[ItemRef(suite: "sums", item: key)] = "What is \(index + 3) plus \(2 * index + 5)?" }
        let entries: [(model: String, effort: String, cost: Int64, usage: Usage)] = [
            ("thinker", "low", 100, Usage(inputTokens: 20, outputTokens: 200, reasoningTokens: 180)),
            ("plain", "none", 500, Usage(inputTokens: 20, outputTokens: 10)),
            ("big", "high", 10_000, Usage(inputTokens: 20, outputTokens: 900, reasoningTokens: 850)),
        ]
        let facts = items.flatMap { key in
            entries.map { SampleFact(provider: "sim", model: $0.model, effort: $0.effort, task: "math", suite: "sums", itemKey: key, score: 1,
                                     usage: $0.usage, costNusd: $0.cost, latencyMs: 100) }
        }
        let document = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000), prompts: prompts).build(facts: facts)
        return try RouterSnapshot(document: document)
    }

    @Test("max_tokens 32 is not routed to an effort whose measured reasoning spends more; the reason says why")
    func smallBudget() throws {
        let snapshot = try Self.snapshot()
        let open = try snapshot.decide(RouteRequest(prompt: "What is 4 plus 9?", model: "auto:math"))
        #expect(open.name == "sim/thinker@low", "without a budget the cheapest wins: \(open.reason)")
        #expect(open.tokensExcluded == nil && open.maxTokens == nil)

        let tight = try snapshot.decide(RouteRequest(prompt: "What is 4 plus 9?", model: "auto:math", maxTokens: 32))
        #expect(tight.name == "sim/plain@none", "\(tight.reason)")
        #expect(Set(tight.tokensExcluded ?? []) == ["sim/thinker@low", "sim/big@high"])
        #expect(tight.fallbacks.isEmpty, "no fallback that cannot fit either")
        #expect(tight.maxTokens == 32 && tight.maxTokensUnmet == nil)
        #expect(tight.reason.contains("2 entries left out: measured reasoning + answer tokens over max_tokens 32"), "\(tight.reason)")

        let roomy = try snapshot.decide(RouteRequest(prompt: "What is 4 plus 9?", model: "auto:math", maxTokens: 200))
        #expect(roomy.name == "sim/thinker@low" && roomy.tokensExcluded == ["sim/big@high"], "\(roomy.reason)")
    }

    @Test("when nothing fits, the entry with the smallest measured need is chosen and the reason admits it")
    func nothingFits() throws {
        let snapshot = try Self.snapshot()
        let decision = try snapshot.decide(RouteRequest(prompt: "What is 4 plus 9?", model: "auto:math", maxTokens: 4))
        #expect(decision.name == "sim/plain@none", "\(decision.reason)")
        #expect(decision.maxTokensUnmet == true && decision.maxTokens == 4)
        #expect(decision.reason.contains("no entry fits max_tokens 4, kept the smallest measured need"), "\(decision.reason)")
    }

    @Test("a budget combines with exclusions: an open circuit on the only fitting entry leaves the smallest remaining need")
    func withExclusions() throws {
        let snapshot = try Self.snapshot()
        let decision = try snapshot.decide(RouteRequest(prompt: "What is 4 plus 9?", model: "auto:math", excluded: ["sim/plain"], maxTokens: 32))
        #expect(decision.name == "sim/thinker@low" && decision.maxTokensUnmet == true, "\(decision.reason)")
        #expect(decision.tokensExcluded == ["sim/big@high"])
    }
}
