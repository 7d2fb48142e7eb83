import AssayCore
import AssayPricing
import AssaySimulator
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Scraping several sources")
struct PriceScrapeBatchTests {
    func source(_ port: Int, name: String = "sim-page", _ path: String = "/pricing") -> PriceSourceSpec {
        PriceSourceSpec(name: name, kind: .html, url: "http://127.0.0.1:\(port)\(path)", extractor: .builtIn("simulator"),
                        declaredAt: "test")
    }

    @Test("a failed source is counted and reported by name; the others are scraped")
    func failedSourceDoesNotStopTheOthers() async throws {
        try await Fixtures.withLiveSimulator { port in
            let database = try AssayDatabase(path: try Fixtures.temporaryDirectory("assay-scrape-batch") + "/assay.sqlite")
            let scraper = PriceScraper(database: database, config: PricingConfig())
            let missing = PriceSourceSpec(name: "gone", kind: .html, file: "/nonexistent/prices.html", extractor: .builtIn("simulator"),
                                          declaredAt: "test")
            var seen: [String] = []
            let tally = await scraper.scrape([missing, source(port)]) { seen.append($0.source.name) }
            #expect(seen == ["gone", "sim-page"])
            #expect(tally.errors.count == 1 && tally.errors[0].hasPrefix("gone: "))
            #expect(tally.changed == (try Zoo.builtIn().models.count) * 3)
            #expect(tally.quarantined == 0)
        }
    }

    @Test("quarantined changes are counted with what awaits approval")
    func quarantinedAreCounted() async throws {
        try await Fixtures.withLiveSimulator { port in
            let database = try AssayDatabase(path: try Fixtures.temporaryDirectory("assay-scrape-batch") + "/assay.sqlite")
            let scraper = PriceScraper(database: database, config: PricingConfig())
            _ = try await scraper.scrape(source(port))
            var pending: [PriceQuarantineRecord] = []
            let tally = try await scraper.scrape([source(port, "/pricing?variant=jump")]) { pending += try $0.result.get().pending }
            #expect(tally.changed == 0 && tally.errors.isEmpty)
            #expect(tally.quarantined == pending.count && !pending.isEmpty)
        }
    }

    @Test("a throwing handler stops the batch at that source")
    func handlerStops() async throws {
        let database = try AssayDatabase.inMemory()
        let scraper = PriceScraper(database: database, config: PricingConfig())
        let missing = (1...2).map { PriceSourceSpec(name: "gone\($0)", kind: .html, file: "/nonexistent/\($0).html",
                                                    extractor: .builtIn("simulator"), declaredAt: "test") }
        var seen = 0
        await #expect(throws: AssayError.self) {
            try await scraper.scrape(missing) { seen += 1; _ = try $0.result.get() }
        }
        #expect(seen == 1)
    }
}
