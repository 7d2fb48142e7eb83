import AssayCore
import Testing
@testable import AssayPricing

@Suite("Price text")
struct PriceTextTests {
    @Test("reads the ways pages write prices, exactly", arguments: [
        ("$3 / MTok", PriceText.Cell.price(3_000_000_000, currency: "USD")),
        ("$0.25", .price(250_000_000, currency: "USD")),
        ("0.25$ / 1M tokens", .price(250_000_000, currency: "USD")),
        ("$22.50 / MTok", .price(22_500_000_000, currency: "USD")),
        ("$0.80\u{a0}/\u{a0}MTok", .price(800_000_000, currency: "USD")),
        ("€0,40", .price(400_000_000, currency: "EUR")),
        ("2元", .price(2_000_000_000, currency: "CNY")),
        ("Free", .price(0, currency: "USD")),
        ("$1.10*", .price(1_100_000_000, currency: "USD")),
        ("$1.10 [1]", .price(1_100_000_000, currency: "USD")),
        ("$0.0004 / 1K tokens", .price(400_000_000, currency: "USD")),
        ("$0.000003 per token", .price(3_000_000_000, currency: "USD")),
        ("$1,250.00 / MTok", .price(1_250_000_000_000, currency: "USD")),
        ("USD 0.075", .price(75_000_000, currency: "USD")),
        ("—", .absent), ("n/a", .absent), ("", .absent), ("-", .absent),
    ])
    func reads(text: String, expected: PriceText.Cell) {
        #expect(PriceText.parse(text) == expected)
    }

    @Test("a cell's own unit overrides the extractor's; a bare number takes it")
    func units() {
        #expect(PriceText.parse("0.003", unit: .perThousand) == .price(3_000_000_000, currency: "USD"))
        #expect(PriceText.parse("$3 / MTok", unit: .perThousand) == .price(3_000_000_000, currency: "USD"))
        #expect(PriceText.parse("0.40", currency: "EUR") == .price(400_000_000, currency: "EUR"))
    }

    @Test("rejects what is not one price, saying why", arguments: ["Contact sales", "$3 / $6", "$1 or €1", "0.0000000000001"])
    func rejects(text: String) {
        guard case .invalid(let why) = PriceText.parse(text) else {
            Issue.record("'\(text)' was read as a price")
            return
        }
        #expect(!why.isEmpty)
    }

    @Test("finds context tiers and strips footnotes from names")
    func tiersAndNames() {
        let upper = TextCleaner.tier(in: "Claude Sonnet 4.5 (prompts > 200K tokens)")
        #expect(upper?.min == 200_000 && upper?.max == nil && upper?.rest == "Claude Sonnet 4.5")
        let lower = TextCleaner.tier(in: "≤200K")
        #expect(lower?.max == 200_000 && lower?.min == nil)
        #expect(TextCleaner.tier(in: "Claude Sonnet 4.5") == nil)
        #expect(TextCleaner.slug(TextCleaner.stripFootnotes("Claude Haiku 3.5 (deprecated)†")) == "claude-haiku-3-5")
        #expect(TextCleaner.stripFootnotes("Acme Euro [2]") == "Acme Euro")
    }

    @Test("expands scientific notation exactly", arguments: [
        ("3e-06", "0.000003"), ("1.5e-05", "0.000015"), ("2.5E-7", "0.00000025"), ("0.0000003", "0.0000003"), ("1e2", "100"),
    ])
    func scientific(text: String, plain: String) {
        #expect(DecimalText.plain(text) == plain)
    }

    @Test("per-token prices finer than a nano-dollar per million tokens round half up", arguments: [
        ("2.9999900000000002e-06", Int64(2_999_990_000)), ("0.0000002857142857142857", 285_714_286), ("0.9999999999999999", 1_000_000_000_000_000),
        ("1.5e-05", 15_000_000_000),
    ])
    func rounding(text: String, nanos: Int64) throws {
        #expect(try DecimalText.nanosPerMTok(perToken: text).get() == nanos)
    }
}
