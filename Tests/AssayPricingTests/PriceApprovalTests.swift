import AssayCore
import AssayPricing
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// What a scrape may apply on its own, and what waits for `assay prices approve`.
@Suite("Price approval: anchors, new sources, models, dimensions and zeros")
struct PriceApprovalTests {
    let model = ModelRef(provider: "acme", model: "ultra")
    let other = ModelRef(provider: "acme", model: "mini")

    func database() throws -> AssayDatabase { try PricingFixtures.database("assay-approval") }

    func scrape(_ prices: [(ModelRef, String, Int64)], at seconds: Double, source: String = "acme-page") -> PriceScrape {
        PricingFixtures.scrape(prices, at: seconds, source: source)
    }

    @Test("the first scrape into an empty database is applied and approved (bootstrap), so the demo needs no approval")
    func bootstrap() throws {
        let db = try database()
        let outcome = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (other, "input", 100_000_000)], at: 1), maxChangeFactor: 5)
        #expect(outcome.quarantined.isEmpty && outcome.opened.count == 2)
        #expect(try db.openPrices().allSatisfy(\.approved))
    }

    @Test("ten successive 4% moves under a 10% threshold end quarantined: drift is measured from the last approved price")
    func noWalking() throws {
        let db = try database()
        var price: Int64 = 1_000_000_000
        _ = try db.applyScrape(scrape([(model, "input", price)], at: 0), maxChangeFactor: 1.1)
        var kinds: [String?] = []
        for step in 1...10 {
            price = price * 104 / 100
            let outcome = try db.applyScrape(scrape([(model, "input", price)], at: Double(step)), maxChangeFactor: 1.1)
            kinds.append(outcome.quarantined.first?.kind)
            let inForce = try #require(try db.currentPrices()[model]?.rate(.input))
            #expect(inForce <= 1_100_000_000, "step \(step): \(inForce) walked past 10% of the approved $1.00")
        }
        #expect(kinds == [nil, nil] + Array(repeating: "jump", count: 8))
        let pending = try db.pendingQuarantines()
        #expect(pending.count == 1, "each scrape supersedes the last one's quarantine")
        #expect(pending[0].message == "acme/ultra: price moved more than the 1.10× allowed from its last approved price: "
                + "input $1.00 / MTok → $1.480244282 / MTok (1.48×)")
        #expect(try db.currentPrices()[model]?.rate(.input) == 1_081_600_000, "the last move within 10% stays in force")
        // Approving moves the anchor: a 4% move from the approved price applies again.
        _ = try db.approveQuarantine(id: pending[0].id!, at: Date(timeIntervalSince1970: 20))
        let after = try db.applyScrape(scrape([(model, "input", price * 104 / 100)], at: 21), maxChangeFactor: 1.1)
        #expect(after.quarantined.isEmpty && after.opened.count == 1)
    }

    @Test("a new model, a new dimension and a new source are quarantined until approved", arguments: [
        ("model", "acme/mini: a new model for this source: input $0.10 / MTok"),
        ("dimension", "acme/ultra: a new price dimension for this model: cached_input $0.30 / MTok"),
        ("source", "acme/ultra: a new source (no price from it was approved before): input $3.10 / MTok"),
    ])
    func newThings(what: String, message: String) throws {
        let db = try database()
        _ = try db.applyScrape(scrape([(model, "input", 3_000_000_000)], at: 1), maxChangeFactor: 5)
        let next = switch what {
        case "model": scrape([(model, "input", 3_000_000_000), (other, "input", 100_000_000)], at: 2)
        case "dimension": scrape([(model, "input", 3_000_000_000), (model, "cached_input", 300_000_000)], at: 2)
        default: scrape([(model, "input", 3_100_000_000)], at: 2, source: "mirror-page")
        }
        let outcome = try db.applyScrape(next, maxChangeFactor: 5)
        let held = try #require(outcome.quarantined.first)
        #expect(outcome.quarantined.count == 1 && held.kind == "new" && held.status == .pending)
        #expect(held.message == message)
        let before = try db.currentPrices()
        #expect(before[model]?.rate(.input) == 3_000_000_000 && before[other] == nil && before[model]?.nanoUSDPerMTok[.cachedInput] == nil)
        _ = try db.approveQuarantine(id: held.id!)
        #expect(try db.currentPrices() != before, "approving applies it")
        let again = try db.applyScrape(next, maxChangeFactor: 5)
        #expect(again.quarantined.isEmpty, "once approved it is known")
    }

    @Test("a zero price is quarantined: on the first scrape, as a new dimension, and as a move to zero")
    func zero() throws {
        let db = try database()
        let first = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (other, "input", 0)], at: 1), maxChangeFactor: 5)
        #expect(first.quarantined.map(\.kind) == ["zero"])
        #expect(first.quarantined.first?.message == "acme/mini: a first price of zero needs approval: input $0.00 / MTok")
        #expect(try db.currentPrices()[other] == nil && db.currentPrices()[model] != nil)
        let dimension = try db.applyScrape(scrape([(model, "input", 3_000_000_000), (model, "output", 0)], at: 2), maxChangeFactor: 5)
        #expect(dimension.quarantined.first?.message == "acme/ultra: a new price dimension for this model: output $0.00 / MTok; includes a price of zero")
        let free = try db.applyScrape(scrape([(model, "input", 0)], at: 3), maxChangeFactor: 5)
        #expect(free.quarantined.first?.kind == "jump" && free.quarantined.first?.message.contains("(from or to zero)") == true)
        #expect(try db.currentPrices()[model]?.rate(.input) == 3_000_000_000)
    }

    @Test("a page fetched over https may only redirect to https; over http, to either")
    func redirectPolicy() {
        #expect(PageFetcher.redirectProtocols(for: "https://docs.anthropic.com/pricing") == "https")
        #expect(PageFetcher.redirectProtocols(for: "HTTPS://example.com") == "https")
        #expect(PageFetcher.redirectProtocols(for: "http://127.0.0.1:8089/pricing") == "http,https")
    }
}
