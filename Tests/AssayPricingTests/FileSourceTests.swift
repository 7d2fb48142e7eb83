import AssayCore
import AssayPricing
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Sources read from files")
struct FileSourceTests {
    func scraper() throws -> PriceScraper {
        PriceScraper(database: try AssayDatabase(path: try Fixtures.temporaryDirectory("assay-file-source") + "/assay.sqlite"),
                     config: PricingConfig())
    }

    @Test("an OpenRouter list read from a file records prices and what it says about each model")
    func openRouterFile() async throws {
        let scraper = try scraper()
        let source = PriceSourceSpec(name: "openrouter", kind: .openrouter, file: PricingFixtures.path("openrouter-models.json"))
        let report = try await scraper.scrape(source)
        #expect(report.outcome.quarantined.isEmpty && report.read.imported == 5 && report.read.rejected == 3)
        let sonnet = ModelRef(provider: "openrouter", model: "anthropic/claude-sonnet-4.5")
        #expect(try scraper.database.currentPrices()[sonnet]?.rate(.output) == 15_000_000_000)
        let record = try #require(try scraper.database.modelRecord(sonnet))
        #expect(record.created == Date(timeIntervalSince1970: 1_759_161_676) && record.contextWindow == 1_000_000)
        #expect(record.capabilities.contains("\"reasoning\"") && record.capabilities.contains("\"tools\""))
        let again = try await scraper.scrape(source)
        #expect(again.unchangedContent, "the same bytes read with the same reader are not parsed again")
    }

    @Test("sources that disagree about a model (spelled differently) show up as conflicts")
    func conflicts() async throws {
        let scraper = try scraper()
        _ = try await scraper.scrape(PriceSourceSpec(name: "litellm", kind: .litellm, file: PricingFixtures.path("litellm-sample.json")))
        let page = PricingFixtures.path("anthropic-like.html")
        _ = try await scraper.scrape(PriceSourceSpec(name: "anthropic-page", kind: .html, file: page, extractor: .builtIn("anthropic")))
        _ = try await scraper.scrape(PriceSourceSpec(name: "openrouter", kind: .openrouter, file: PricingFixtures.path("openrouter-models.json")))
        let conflicts = PriceConflicts.find(in: try scraper.database.openPrices())
        #expect(!conflicts.contains { $0.model == "anthropic/claude-sonnet-4-5" }, "three sources, one price")
        let haiku = try #require(conflicts.first { $0.model == "anthropic/claude-haiku-4-5" && $0.dimension == "input" })
        #expect(haiku.prices.map(\.source) == ["anthropic-page", "openrouter"])
        #expect(haiku.prices.map(\.price) == ["$1.00 / MTok", "$0.80 / MTok"])
    }

    @Test("a missing file names the file and the source")
    func missingFile() async throws {
        let scraper = try scraper()
        let source = PriceSourceSpec(name: "gone", kind: .litellm, file: "/nonexistent/prices.json", declaredAt: "assay.yaml:7")
        let error = await #expect(throws: AssayError.self) { try await scraper.scrape(source) }
        #expect(error?.message.contains("/nonexistent/prices.json") == true && error?.message.contains("'gone'") == true)
    }
}
