import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Re-pricing the catalog")
struct RepricingTests {
    @Test("a scraped price change re-prices the catalog at the next build, with no re-run; the cost as run stays")
    func reprice() throws {
        let db = try AssayDatabase(path: try Fixtures.temporaryDirectory("assay-reprice") + "/assay.sqlite")
        let model = ModelRef(provider: "sim", model: "m")
        func scrape(input: Int64, output: Int64, at seconds: Double) throws {
            _ = try db.applyScrape(PriceScrape(source: "sim-page", url: "http://sim/pricing", fetchedAt: Date(timeIntervalSince1970: seconds), observations: [
                PriceObservation(model: model, dimension: "input", nanosPerMTok: input),
                PriceObservation(model: model, dimension: "output", nanosPerMTok: output),
            ]), maxChangeFactor: 5)
        }
        try scrape(input: 1_000_000_000, output: 4_000_000_000, at: 1_000)
        let usage = Usage(inputTokens: 1_000, outputTokens: 500)
        let asRun = try #require(db.currentPrices()[model]).cost(of: usage).nanoUSD
        #expect(asRun == 3_000_000)
        let facts = (0..<4).map { SampleFact(provider: "sim", model: "m", effort: "low", task: "t", suite: "s", itemKey: "i\($0)",
                                             score: 1, usage: usage, costNusd: asRun) }
        func entry() throws -> CatalogDocument.Entry {
            try #require(CatalogBuilder(prices: try db.currentPrices()).build(facts: facts).tasks.first?.entries.first)
        }
        let before = try entry()
        #expect(before.costPerTaskNusd == 3_000_000 && before.costPerTaskAsRunNusd == 3_000_000 && !before.priceChanged)
        try scrape(input: 2_000_000_000, output: 8_000_000_000, at: 2_000)
        let after = try entry()
        #expect(after.costPerTaskNusd == 6_000_000 && after.costPerTaskAsRunNusd == 3_000_000 && after.priceChanged)
        let markdown = CatalogMarkdown.render(CatalogBuilder(prices: try db.currentPrices()).build(facts: facts))
        #expect(markdown.contains("price changed (as run $0.003000/task)"))
    }
}
