import AssayCatalog
import AssayCatalogFormat
import AssayRouter
import Foundation
import Testing

@Suite("Stickiness, fallbacks, exclusions")
struct SessionAndFallbackTests {
    let prompt = RouterFixture.addition(700)

    @Test("a conversation stays on its model when its prompt cache saves more than switching")
    func staysForTheCache() throws {
        let snapshot = try RouterFixture.lenient()
        // big saves 900 nUSD per cached token; switching to small saves 9,900 nUSD per task.
        let long = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math",
                                                    session: .init(previous: "sim/big@high", cachedPromptTokens: 20)))
        #expect(long.name == "sim/big@high" && long.sticky, "\(long.reason)")
        #expect(long.reason.contains("prompt cache"))
        let byModel = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math",
                                                       session: .init(previous: "sim/big", cachedPromptTokens: 20)))
        #expect(byModel.name == "sim/big@high" && byModel.sticky, "a session may name just the model")
        let short = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math",
                                                     session: .init(previous: "sim/big@high", cachedPromptTokens: 5)))
        #expect(short.name == "sim/small@none" && !short.sticky)
    }

    @Test("no stickiness to an excluded model, or to one with no cache price")
    func noStickiness() throws {
        let snapshot = try RouterFixture.lenient()
        let excluded = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", excluded: ["sim/big"],
                                                        session: .init(previous: "sim/big@high", cachedPromptTokens: 1_000_000)))
        #expect(excluded.model != "sim/big" && !excluded.sticky)
        let unpriced = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math",
                                                        session: .init(previous: "sim/mid@low", cachedPromptTokens: 1_000_000)))
        #expect(unpriced.name == "sim/small@none" && !unpriced.sticky)
    }

    @Test("fallbacks follow the objective's order and leave out the choice and excluded models")
    func fallbacks() throws {
        let snapshot = try RouterFixture.lenient()
        let cheapest = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math"))
        #expect(cheapest.fallbacks.map(\.name) == ["sim/mid@low", "sim/big@high"])
        let best = try snapshot.decide(RouteRequest(prompt: RouterFixture.geometry(700), model: "auto:math", objective: .best))
        #expect(best.fallbacks.first?.name == "sim/mid@low")
        #expect(best.fallbacks.map(\.estimatedQuality) == best.fallbacks.map(\.estimatedQuality).sorted(by: >))
        let excluded = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", excluded: ["sim/small@none", "sim/mid"]))
        #expect(excluded.name == "sim/big@high" && excluded.fallbacks.isEmpty && excluded.candidates == 1)
        #expect {
            try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", excluded: ["sim/small", "sim/mid", "sim/big"]))
        } throws: { ($0 as? RoutingError)?.code == .noCandidate }
    }

    @Test("every decision has a one-line reason and the catalog's hash, and encodes to JSON")
    func reasonAndHash() throws {
        let document = RouterFixture.document()
        let snapshot = try RouterSnapshot(document: document, options: RouterOptions(margin: 0.3))
        let decision = try snapshot.decide(RouteRequest(prompt: prompt))
        #expect(decision.catalogSha256 == document.contentSha256 && decision.catalogSha256.count == 64)
        #expect(decision.reason.contains("catalog \(document.contentSha256.prefix(12))"))
        #expect(decision.reason.contains("sim/small@none") && !decision.reason.contains("\n"))
        let json = try CatalogDocument.encoder().encode(decision)
        let decoded = try CatalogDocument.decoder().decode(Decision.self, from: json)
        #expect(decoded == decision)
        #expect(String(decoding: json, as: UTF8.self).contains("\"catalog_sha256\""))
    }

    @Test("a snapshot loaded from the catalog's bytes decides as one built from the document")
    func fromData() throws {
        let document = RouterFixture.document()
        let fromData = try RouterSnapshot(data: try CatalogDocument.encoder().encode(document))
        let direct = try RouterSnapshot(document: document)
        for request in [RouteRequest(prompt: prompt), RouteRequest(prompt: RouterFixture.geometry(9), objective: .best)] {
            #expect(try fromData.decide(request) == direct.decide(request))
        }
        #expect(fromData.taskNames == ["extraction", "math"])
        #expect(fromData.models == ["sim/big", "sim/mid", "sim/small"])
    }

    @Test("a catalog without a router section is refused with a hint")
    func noRouterSection() throws {
        var document = RouterFixture.document()
        document.router = nil
        #expect(throws: RouterLoadError.self) { try RouterSnapshot(document: document) }
    }
}
