import AssayCore
import Testing

@Suite("Money")
struct MoneyTests {
    @Test("parses decimal dollars exactly", arguments: [
        ("3", Int64(3_000_000_000)), ("0.075", 75_000_000), ("$1.25", 1_250_000_000), ("0.000000001", 1),
        ("1,234.5", 1_234_500_000_000), ("-0.5", -500_000_000), (".25", 250_000_000), ("0.10000000000", 100_000_000),
    ])
    func parses(text: String, nanos: Int64) {
        #expect(Money(dollars: text)?.nanoUSD == nanos)
    }

    @Test("rejects text that is not an exact amount", arguments: ["", "abc", "1.2.3", "0.0000000001", "$", "1e3", "--1"])
    func rejects(text: String) {
        #expect(Money(dollars: text) == nil)
    }

    @Test("formats small amounts with enough digits")
    func formats() {
        #expect(Money(nanoUSD: 1_500_000_000).description == "$1.50")
        #expect(Money(nanoUSD: 1_727_210).description == "$0.001727")
        #expect(Money(nanoUSD: 22_655).description == "$0.000022655")
        #expect(Money.zero.description == "$0")
    }

    @Test("fixed-point text: rounding carries into the whole part, signs, no decimals, appending in place")
    func fixedText() {
        #expect(Money.fixed(0.96, digits: 1) == "1.0")
        #expect(Money.fixed(12.345, digits: 2) == "12.35" || Money.fixed(12.345, digits: 2) == "12.34")
        #expect(Money.fixed(-2.5, digits: 3) == "-2.500")
        #expect(Money.fixed(98.46, digits: 1) == "98.5")
        #expect(Money.fixed(7, digits: 0) == "7")
        #expect(Money.fixed(0, digits: 0) == "0")
        #expect(Money.fixed(0.000_000_4, digits: 9) == "0.000000400")
        var text = "est "
        Money.appendFixed(45.25, digits: 2, to: &text)
        text += "%"
        #expect(text == "est 45.25%")
    }
}

@Suite("Price sheets")
struct PriceSheetTests {
    let sheet = PriceSheet(dollarsPerMTok: [.input: "3", .cachedInput: "0.30", .output: "15"])!

    @Test("bills uncached input, cached input and output at their own rates")
    func cost() {
        // 1,000 prompt tokens of which 400 cached; 500 output of which 200 reasoning.
        let usage = Usage(inputTokens: 1_000, cachedInputTokens: 400, outputTokens: 500, reasoningTokens: 200)
        // 600 × $3 + 400 × $0.30 + 500 × $15, per 1M tokens = $0.00942
        #expect(sheet.cost(of: usage) == Money(dollars: "0.00942"))
    }

    @Test("falls back: cache writes at the input price, reasoning at the output price")
    func fallbacks() {
        #expect(sheet.rate(.cacheWrite) == sheet.rate(.input))
        #expect(sheet.rate(.reasoning) == sheet.rate(.output))
        let onlyInput = PriceSheet(dollarsPerMTok: [.input: "1"])!
        #expect(onlyInput.rate(.cachedInput) == 1_000_000_000)
        #expect(onlyInput.rate(.output) == 0)
    }

    @Test("rounds once, to the nearest nano-dollar")
    func rounding() {
        let cheap = PriceSheet(dollarsPerMTok: [.input: "0.0375"])!
        // 3 tokens × 37.5 nano-USD = 112.5 → 113
        #expect(cheap.cost(of: Usage(inputTokens: 3)) == Money(nanoUSD: 113))
    }
}
