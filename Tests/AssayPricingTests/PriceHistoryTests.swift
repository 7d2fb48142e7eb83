import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Price history and quarantine")
struct PriceHistoryTests {
    let model = ModelRef(provider: "acme", model: "ultra")
    let other = ModelRef(provider: "acme", model: "mini")

    func database() throws -> AssayDatabase { try PricingFixtures.database() }

    func scrape(_ prices: [(ModelRef, String, Int64)], at seconds: Double, layout: String? = nil) -> PriceScrape {
        PricingFixtures.scrape(prices, at: seconds, layout: layout)
    }

    @Test("a change closes the old price and opens a new one; unchanged prices keep their rows")
    func changeKeepsHistory() throws {
        let db = try database()
        var outcome = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (model, "output", 15_000_000_000)], at: 1_000), maxChangeFactor: 5)
        #expect(outcome.opened.count == 2 && outcome.quarantined.isEmpty)
        outcome = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (model, "output", 15_000_000_000)], at: 2_000), maxChangeFactor: 5)
        #expect(outcome.opened.isEmpty && outcome.unchangedModels == 1)
        outcome = try db.applyScrape(scrape([(model, "input", 2_000_000_000), (model, "output", 15_000_000_000)], at: 3_000), maxChangeFactor: 5)
        #expect(outcome.opened.count == 1)
        let history = try db.priceHistory(model: "acme/ultra").prices.filter { $0.dimension == "input" }
        #expect(history.map(\.nusdPerMtok) == [3_000_000_000, 2_000_000_000])
        #expect(history[0].effectiveTo == Date(timeIntervalSince1970: 3_000) && history[1].effectiveTo == nil)
        #expect(history.allSatisfy { $0.source == "acme-page" && $0.url == "https://acme.example/pricing" && $0.excerptSha256 == "abc" })
        #expect(try db.currentPrices()[model]?.rate(.input) == 2_000_000_000)
    }

    @Test("a 10× jump is quarantined, nothing overwritten, until approved")
    func jump() throws {
        let db = try database()
        _ = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (other, "input", 100_000_000)], at: 1_000), maxChangeFactor: 5)
        let outcome = try db.applyScrape(scrape([(model, "input", 30_000_000_000), (other, "input", 120_000_000)], at: 2_000), maxChangeFactor: 5)
        let held = try #require(outcome.quarantined.first)
        #expect(outcome.quarantined.count == 1 && held.kind == "jump")
        #expect(held.message.contains("$3.00 / MTok → $30.00 / MTok") && held.message.contains("(10.00×)"))
        #expect(try db.currentPrices()[model]?.rate(.input) == 3_000_000_000, "the good price stays")
        #expect(try db.currentPrices()[other]?.rate(.input) == 120_000_000, "other models still update")
        _ = try db.approveQuarantine(id: held.id!, at: Date(timeIntervalSince1970: 2_500))
        #expect(try db.currentPrices()[model]?.rate(.input) == 30_000_000_000)
        #expect(try db.pendingQuarantines().isEmpty)
        #expect(throws: AssayError.self) { try db.approveQuarantine(id: held.id!) }
        #expect(throws: AssayError.self) { try db.approveQuarantine(id: 999) }
    }

    @Test("a changed layout is quarantined and applies nothing")
    func layout() throws {
        let db = try database()
        _ = try db.applyScrape(scrape([(model, "input", 3_000_000_000)], at: 1_000), maxChangeFactor: 5)
        let outcome = try db.applyScrape(scrape([], at: 2_000, layout: "no table matches"), maxChangeFactor: 5)
        #expect(outcome.quarantined.map(\.kind) == ["layout"])
        #expect(try db.currentPrices()[model]?.rate(.input) == 3_000_000_000)
        #expect(try db.openPrices().count == 1)
    }

    @Test("a model gone from its page is quarantined; approving closes its prices")
    func vanished() throws {
        let db = try database()
        _ = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (other, "input", 100_000_000)], at: 1_000), maxChangeFactor: 5)
        let outcome = try db.applyScrape(scrape([(other, "input", 100_000_000)], at: 2_000), maxChangeFactor: 5)
        let held = try #require(outcome.quarantined.first)
        #expect(held.kind == "vanished" && held.model == "ultra")
        #expect(try db.currentPrices()[model] != nil)
        _ = try db.approveQuarantine(id: held.id!)
        #expect(try db.currentPrices()[model] == nil)
        #expect(try db.priceHistory(model: "ultra").prices.count == 1)
    }

    @Test("a later good scrape supersedes a pending quarantine")
    func superseded() throws {
        let db = try database()
        _ = try db.applyScrape(scrape([(model, "input", 3_000_000_000)], at: 1_000), maxChangeFactor: 5)
        _ = try db.applyScrape(scrape([(model, "input", 300_000_000)], at: 2_000), maxChangeFactor: 5)
        #expect(try db.pendingQuarantines().count == 1)
        _ = try db.applyScrape(scrape([(model, "input", 3_000_000_000)], at: 3_000), maxChangeFactor: 5)
        #expect(try db.pendingQuarantines().isEmpty)
    }

    @Test("prices in another currency are kept but never used as dollars; sources keep separate histories; a second source waits for approval")
    func currencyAndSources() throws {
        let db = try database()
        let euro = PriceScrape(source: "eu-page", url: nil, observations: [
            PriceObservation(model: model, dimension: "input", nanosPerMTok: 400_000_000, currency: "EUR")])
        _ = try db.applyScrape(euro, maxChangeFactor: 5)
        #expect(try db.currentPrices()[model] == nil)
        try db.recordPrices(PriceSheet([.input: 500_000_000]), for: model, source: "config", at: Date(timeIntervalSince1970: 10))
        let second = try db.applyScrape(scrape([(model, "input", 3_000_000_000)], at: 20), maxChangeFactor: 5)
        let held = try #require(second.quarantined.first, "a second scraped source is new, so held back")
        #expect(try held.kind == "new" && db.currentPrices()[model]?.rate(.input) == 500_000_000)
        _ = try db.approveQuarantine(id: held.id!, at: Date(timeIntervalSince1970: 20))
        #expect(try db.currentPrices()[model]?.rate(.input) == 3_000_000_000, "the most recent change wins")
        #expect(try db.openPrices().filter { $0.model == "ultra" }.count == 3, "each source keeps its own row")
    }
}
