import AssayCatalog
import AssayCatalogFormat
import AssayRouter
import Testing

@Suite("Objectives and constraints")
struct ObjectiveTests {
    @Test("cheapest non-inferior: within 2 points of the top only the best-evidenced entry qualifies")
    func cheapestStrict() throws {
        // The nearest-items estimator (the fixture's catalog also ships a learned one for math:
        // LearnedEstimatorTests): small's estimate on an addition is shrunk toward its 50% on
        // math, above 75%, below 98%.
        var options = RouterOptions()
        options.estimator = .nearestItems
        let decision = try RouterFixture.snapshot(options).decide(RouteRequest(prompt: RouterFixture.addition(500), model: "auto:math"))
        #expect(decision.name == "sim/big@high" && decision.objective == "cheapest", "\(decision.reason)")
        #expect(decision.fallbacks.first?.name == "sim/mid@low")
    }

    @Test("cheapest non-inferior with a wider margin: the small model for an addition, not for geometry it fails")
    func cheapest() throws {
        let snapshot = try RouterFixture.lenient()
        let addition = try snapshot.decide(RouteRequest(prompt: RouterFixture.addition(500), model: "auto:math"))
        #expect(addition.name == "sim/small@none", "\(addition.reason)")
        let geometry = try snapshot.decide(RouteRequest(prompt: RouterFixture.geometry(500), model: "auto:math"))
        #expect(geometry.model != "sim/small", "\(geometry.reason)")
        #expect(geometry.estimatedQuality >= 0.8)
    }

    @Test("best takes the highest estimate")
    func best() throws {
        let decision = try RouterFixture.snapshot().decide(RouteRequest(prompt: RouterFixture.geometry(500), model: "auto:math", objective: .best))
        #expect(decision.name == "sim/big@high")
    }

    @Test("utility: λ = 0 is best, a large λ buys the cheapest")
    func utility() throws {
        let snapshot = try RouterFixture.snapshot()
        let prompt = RouterFixture.geometry(500)
        #expect(try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", objective: .utility(lambda: 0))).model == "sim/big")
        #expect(try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", objective: .utility(lambda: 1e9))).model == "sim/small")
    }

    @Test("a cost cap and a latency ceiling remove entries before the objective applies")
    func constraints() throws {
        let snapshot = try RouterFixture.snapshot()
        let prompt = RouterFixture.geometry(500)
        let capped = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", objective: .best, maxCostNusd: 5_000))
        #expect(capped.model == "sim/mid" && capped.candidates == 2)
        let fast = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", objective: .best, maxLatencyMs: 500))
        #expect(fast.model != "sim/big")
        #expect {
            try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", maxCostNusd: 10))
        } throws: { ($0 as? RoutingError)?.code == .noCandidate }
    }
}
