import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import AssayStore
import Foundation
import Testing

/// `serve.unknown_prompts` with `default_entry`: an unknown prompt never costs more than the
/// entry the operator chose, even when a filter (here `max_tokens`) leaves that entry out.
@Suite("Unknown prompts")
struct UnknownPromptTests {
    /// One task, 16 items: `big@none` solves all at 10,000 nano-USD; `mid@low` (the default entry)
    /// 13 at 300 but reasons ~190 tokens; `small@none` 11 at 50.
    static func snapshot(rule: UnknownPromptPolicy.Rule) throws -> RouterSnapshot {
        let items = (0..<16).map { "item-\($0)" }
        var prompts: [ItemRef: String] = [:]
        for (index, key) in items.enumerated() { prompts[ItemRef(suite: "sums", item: key)] = "What is \(index + 3) plus \(2 * index + 5)?" }
        let entries: [(model: String, effort: String, cost: Int64, solved: Int, usage: Usage)] = [
            ("big", "none", 10_000, 16, Usage(inputTokens: 20, outputTokens: 10)),
            ("mid", "low", 300, 13, Usage(inputTokens: 20, outputTokens: 200, reasoningTokens: 190)),
            ("small", "none", 50, 11, Usage(inputTokens: 20, outputTokens: 10)),
        ]
        let facts = items.enumerated().flatMap { index, key in
            entries.map { SampleFact(provider: "sim", model: $0.model, effort: $0.effort, task: "math", suite: "sums", itemKey: key,
                                     score: index < $0.solved ? 1 : 0, usage: $0.usage, costNusd: $0.cost, latencyMs: 100) }
        }
        let document = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000), prompts: prompts).build(facts: facts)
        var options = RouterOptions()
        // Every prompt that is not an item word for word is unknown.
        options.unknownPrompts = UnknownPromptPolicy(rule: rule, confidenceBelow: 0, similarityBelow: 0.999)
        return try RouterSnapshot(document: document, options: options)
    }

    @Test("the default entry answers an unknown prompt; left out by max_tokens, a cheaper entry does, never the costly robust one")
    func defaultEntryCeiling() throws {
        let snapshot = try Self.snapshot(rule: .defaultEntry("sim/mid@low"))
        let open = try snapshot.decide(RouteRequest(prompt: "Tell me a joke about sums"))
        #expect(open.name == "sim/mid@low" && open.unknownPolicy == "default_entry", "\(open.reason)")

        let tight = try snapshot.decide(RouteRequest(prompt: "Tell me a joke about sums", maxTokens: 32))
        #expect(tight.unknownPolicy == "default_entry", "\(tight.reason)")
        #expect(tight.name == "sim/small@none", "costs no more than the default, unlike sim/big@none: \(tight.reason)")
        #expect(tight.fallbacks.allSatisfy { $0.costPerTaskNusd <= 300 }, "\(tight.fallbacks)")

        // With only the costly entry left, the robust order still answers rather than refusing.
        let cornered = try snapshot.decide(RouteRequest(prompt: "Tell me a joke about sums", excluded: ["sim/small"], maxTokens: 32))
        #expect(cornered.name == "sim/big@none", "\(cornered.reason)")
    }

    @Test("the robust rule takes the entry that holds everywhere, whatever it costs")
    func robust() throws {
        let snapshot = try Self.snapshot(rule: .robust)
        let decision = try snapshot.decide(RouteRequest(prompt: "Tell me a joke about sums", maxTokens: 32))
        #expect(decision.name == "sim/big@none" && decision.unknownPolicy == "robust", "\(decision.reason)")
    }
}
