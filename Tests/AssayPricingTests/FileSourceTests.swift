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
        #expect(report.read.imported == 5 && report.read.rejected == 3)
        // The first source bootstraps an empty database, except the free model: a zero price waits for approval.
        let free = try #require(report.outcome.quarantined.first)
        #expect(report.outcome.quarantined.count == 1 && free.kind == "zero" && free.model == "meta-llama/llama-3.3-8b-instruct:free")
        _ = try scraper.database.approveQuarantine(id: free.id!)
        let sonnet = ModelRef(provider: "openrouter", model: "anthropic/claude-sonnet-4.5")
        #expect(try scraper.database.currentPrices()[sonnet]?.rate(.output) == 15_000_000_000)
        let record = try #require(try scraper.database.modelRecord(sonnet))
        #expect(record.created == Date(timeIntervalSince1970: 1_759_161_676) && record.contextWindow == 1_000_000)
        #expect(record.capabilities.contains("\"reasoning\"") && record.capabilities.contains("\"tools\""))
        _ = try await scraper.scrape(source)   // the first read was quarantined, so its hash is not trusted: read again
        let again = try await scraper.scrape(source)
        #expect(again.unchangedContent, "the same bytes read with the same reader are not parsed again")
    }

    @Test("sources that disagree about a model (spelled differently) show up as conflicts")
    func conflicts() async throws {
        let scraper = try scraper()
        let page = PricingFixtures.path("anthropic-like.html")
        for source in [PriceSourceSpec(name: "litellm", kind: .litellm, file: PricingFixtures.path("litellm-sample.json")),
                       PriceSourceSpec(name: "anthropic-page", kind: .html, file: page, extractor: .builtIn("anthropic")),
                       PriceSourceSpec(name: "openrouter", kind: .openrouter, file: PricingFixtures.path("openrouter-models.json"))] {
            _ = try await scraper.scrape(source)
            // Only the first source bootstraps; a person approves the others, as 'assay prices approve --source' does.
            for held in try scraper.database.pendingQuarantines(source: source.name) { _ = try scraper.database.approveQuarantine(id: held.id!) }
        }
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
