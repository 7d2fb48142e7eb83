import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Foundation
import Testing

@Suite("Tasks without a pick")
struct NoPickTaskTests {
    @Test("a task where no entry clears the quality floor is not routed to: the router treats it as unknown")
    func belowFloorTaskIsUnknown() throws {
        // Every model fails every extraction item (as two tiny real models did on whole tasks).
        let models: [RouterFixture.Model] = RouterFixture.entries.map { entry in
            (entry.model, entry.effort, entry.cost, { kind, i in kind == "rec" ? 0 : entry.score(kind, i) })
        }
        let document = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000),
                                      prompts: RouterFixture.prompts)
            .build(facts: RouterFixture.facts(items: RouterFixture.items, models: models))
        let extraction = try #require(document.section("extraction"))
        #expect(extraction.pick == nil && extraction.noPickReason != nil)
        #expect(document.section("math")?.pick != nil)
        let snapshot = try RouterSnapshot(document: document)
        #expect(snapshot.taskNames == ["math"])
        #expect {
            try snapshot.decide(RouteRequest(prompt: RouterFixture.extraction(2), model: "auto:extraction"))
        } throws: { error in
            (error as? RoutingError)?.code == .unknownTask
        }
        // The same catalog with the floor lowered to 0 routes extraction again.
        var builder = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000),
                                     prompts: RouterFixture.prompts)
        builder.minQuality = 0
        let lowered = try RouterSnapshot(document: builder.build(facts: RouterFixture.facts(items: RouterFixture.items, models: models)))
        #expect(lowered.taskNames.contains("extraction"))
    }
}
