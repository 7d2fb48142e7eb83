import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Testing

/// A request larger than a model's context window is not routed there.
@Suite("Context windows")
struct ContextWindowTests {
    /// The fixture with windows: small holds 4,000 tokens, mid 32,000; big's is unknown.
    static func snapshot() throws -> RouterSnapshot {
        var document = RouterFixture.document()
        document.router?.contextWindows = [.init(model: "sim/mid", contextTokens: 32_000), .init(model: "sim/small", contextTokens: 4_000)]
        return try RouterSnapshot(document: document, options: RouterOptions(margin: 0.3))
    }

    @Test("prompt tokens plus max tokens over a window leave that model out, and the reason says so")
    func overWindow() throws {
        let snapshot = try Self.snapshot()
        let prompt = RouterFixture.addition(300)
        let fits = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", maxTokens: 1_000))
        #expect(fits.model == "sim/small" && fits.contextExcluded == nil, "\(fits.reason)")

        let long = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", promptTokens: 3_500, maxTokens: 1_000))
        #expect(long.model != "sim/small" && !long.fallbacks.contains { $0.model == "sim/small" }, "\(long.reason)")
        #expect(long.contextExcluded == ["sim/small@none"] && long.contextNeeded == 4_500)
        #expect(long.reason.contains("1 entry left out: context window under the request's 4500 tokens"), "\(long.reason)")

        let huge = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", promptTokens: 100_000))
        #expect(huge.model == "sim/big", "its window is unknown, so it is kept: \(huge.reason)")
        #expect(Set(huge.contextExcluded ?? []) == ["sim/small@none", "sim/mid@low"])
    }

    @Test("without a prompt token count the prompt's bytes ÷ 4 are the estimate")
    func estimateFromBytes() throws {
        let snapshot = try Self.snapshot()
        let prompt = RouterFixture.addition(300) + String(repeating: " more words", count: 1_500)   // ~16,600 bytes
        let request = RouteRequest(prompt: prompt, model: "auto:math")
        #expect(request.contextNeeded == (prompt.utf8.count + 3) / 4)
        let decision = try snapshot.decide(request)
        #expect(decision.contextExcluded == ["sim/small@none"], "\(decision.reason)")
    }

    @Test("when every window is too small the error says why")
    func nothingFits() throws {
        let snapshot = try Self.snapshot()
        #expect {
            try snapshot.decide(RouteRequest(prompt: "2 + 2", model: "auto:math", excluded: ["sim/big"], promptTokens: 50_000))
        } throws: { error in
            let routing = error as? RoutingError
            return routing?.code == .noCandidate && routing?.message.contains("2 with a context window under the request's 50000 tokens") == true
        }
    }

    @Test("the builder writes discovered windows into the router section; an old catalog without them filters nothing")
    func builderAndOldCatalogs() throws {
        let windows = [ModelRef(provider: "sim", model: "small"): 4_000]
        let built = CatalogBuilder(margin: 0.02, prices: [:], prompts: RouterFixture.prompts, contextWindows: windows)
            .build(facts: RouterFixture.facts(items: RouterFixture.items))
        #expect(built.router?.contextWindows == [.init(model: "sim/small", contextTokens: 4_000)])
        let json = String(decoding: try CatalogDocument.encoder().encode(built), as: UTF8.self)
        #expect(json.contains("\"context_windows\""))

        let old = RouterFixture.document()
        #expect(old.router?.contextWindows == nil)
        #expect(!String(decoding: try CatalogDocument.encoder().encode(old), as: UTF8.self).contains("context_windows"))
        let decision = try RouterSnapshot(document: old).decide(RouteRequest(prompt: "2 + 2", model: "auto:math", promptTokens: 10_000_000))
        #expect(decision.contextExcluded == nil)
    }
}
