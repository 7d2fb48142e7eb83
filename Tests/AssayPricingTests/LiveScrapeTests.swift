import AssayCore
import AssayPricing
import AssaySimulator
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Scraping the simulator's pricing page over real HTTP")
struct LiveScrapeTests {
    func source(_ port: Int, _ path: String = "/pricing") -> PriceSourceSpec {
        PriceSourceSpec(name: "sim-page", kind: .html, url: "http://127.0.0.1:\(port)\(path)", extractor: .builtIn("simulator"),
                        declaredAt: "test")
    }

    func scraper() throws -> PriceScraper {
        let db = try AssayDatabase(path: try Fixtures.temporaryDirectory("assay-scrape") + "/assay.sqlite")
        return PriceScraper(database: db, config: PricingConfig())
    }

    @Test("fetches, then costs one 304 while the page is unchanged; gzip and redirects are followed")
    func conditional() async throws {
        try await Fixtures.withLiveSimulator { port in
            let scraper = try scraper()
            let zoo = try Zoo.builtIn().models.count
            let first = try await scraper.scrape(source(port, "/pricing/old"))
            #expect(!first.unchangedContent && first.outcome.quarantined.isEmpty)
            #expect(Set(first.read.observations.map(\.model)).count == zoo)
            #expect(first.outcome.opened.count == zoo * 3)
            let second = try await scraper.scrape(source(port, "/pricing/old"))
            #expect(second.unchangedContent && second.outcome.opened.isEmpty)
            let forced = try await scraper.scrape(source(port, "/pricing/old"), force: true)
            #expect(!forced.unchangedContent && forced.outcome.opened.isEmpty && forced.outcome.unchangedModels == zoo)
            let page = try await Blocking.run { try PageFetcher().fetch("http://127.0.0.1:\(port)/pricing/old") }
            #expect(page.finalURL.hasSuffix("/pricing") && page.status == 200 && page.validator.etag != nil)
            #expect(String(decoding: page.body, as: UTF8.self).contains("<table id=\"pricing\">"), "gzip decoded")
            let again = try await Blocking.run { try PageFetcher().fetch("http://127.0.0.1:\(port)/pricing", validator: page.validator) }
            #expect(again.notModified && again.body.isEmpty)
            let byDate = try await Blocking.run { try PageFetcher().fetch("http://127.0.0.1:\(port)/pricing",
                                                 validator: .init(lastModified: page.validator.lastModified)) }
            #expect(byDate.notModified)
        }
    }

    @Test("a 10× jump and a changed layout are quarantined; nothing is overwritten until approved")
    func quarantine() async throws {
        try await Fixtures.withLiveSimulator { port in
            let scraper = try scraper()
            _ = try await scraper.scrape(source(port))
            let before = try scraper.database.currentPrices()
            let jumped = try await scraper.scrape(source(port, "/pricing?variant=jump"))
            #expect(!jumped.outcome.quarantined.isEmpty && jumped.outcome.quarantined.allSatisfy { $0.kind == "jump" })
            #expect(jumped.outcome.opened.isEmpty)
            #expect(try scraper.database.currentPrices() == before)
            let layout = try await scraper.scrape(source(port, "/pricing?variant=layout"))
            #expect(layout.outcome.quarantined.map(\.kind) == ["layout"])
            #expect(layout.outcome.quarantined[0].message.contains("no table matches"))
            #expect(try scraper.database.currentPrices() == before)
            for held in try scraper.database.pendingQuarantines() where held.kind == "jump" {
                _ = try scraper.database.approveQuarantine(id: held.id!)
            }
            let after = try scraper.database.currentPrices()
            for (model, sheet) in before {
                #expect(after[model]?.rate(.output) == sheet.rate(.output) * 10)
            }
            let missing = try await scraper.scrape(source(port, "/pricing?variant=missing"))
            #expect(missing.outcome.quarantined.contains { $0.kind == "vanished" })
            #expect(try scraper.database.currentPrices() == after)
        }
    }

    @Test("fetch failures name the URL and leave prices alone")
    func failures() async throws {
        try await Fixtures.withLiveSimulator { port in
            let missing = await #expect(throws: AssayError.self) { try await Blocking.run { try PageFetcher().fetch("http://127.0.0.1:\(port)/no-such-page") } }
            #expect(missing?.message.contains("HTTP 404") == true && missing?.message.contains("/no-such-page") == true)
            var small = PageFetcher.Options()
            small.maxBytes = 200
            let options = small
            let big = await #expect(throws: AssayError.self) { try await Blocking.run { try PageFetcher(options: options).fetch("http://127.0.0.1:\(port)/pricing") } }
            #expect(big?.message.contains("200-byte cap") == true)
        }
        let refused = await #expect(throws: AssayError.self) { try await Blocking.run { try PageFetcher().fetch("http://127.0.0.1:9/pricing") } }
        #expect(refused?.message.contains("127.0.0.1:9") == true)
    }
}

