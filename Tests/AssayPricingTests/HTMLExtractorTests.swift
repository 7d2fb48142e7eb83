import AssayCore
import AssayStore
import Testing
@testable import AssayPricing

@Suite("HTML extraction")
struct HTMLExtractorTests {
    func read(_ fixture: String, builtIn: String) throws -> SourceRead {
        let entry = try #require(BuiltInExtractors.all[builtIn])
        return try entry.extractor().extract(html: PricingFixtures.bytes(fixture), url: fixture)
    }

    func price(_ read: SourceRead, _ model: String, _ dimension: String, min: Int? = nil, max: Int? = nil,
               currency: String = "USD") -> Int64? {
        read.observations.first {
            $0.model.description == model && $0.dimension == dimension && $0.tierMinTokens == min && $0.tierMaxTokens == max
                && $0.currency == currency
        }?.nanosPerMTok
    }

    @Test("reads an Anthropic-style page: footnotes, notes in names, long-context tiers, other tables skipped")
    func anthropic() throws {
        let read = try read("anthropic-like.html", builtIn: "anthropic")
        #expect(read.layoutProblem == nil)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "input") == 3_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "cache_write") == 3_750_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "cached_input") == 300_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "output") == 15_000_000_000)
        #expect(price(read, "anthropic/claude-haiku-3-5", "input") == 800_000_000)
        #expect(price(read, "anthropic/claude-haiku-3", "output") == 1_250_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "input", min: 200_000) == 6_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "output", min: 200_000) == 22_500_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "input", max: 200_000) == 3_000_000_000)
        #expect(Set(read.observations.map(\.model.model)) == ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-haiku-3-5", "claude-haiku-3"])
        #expect(!read.observations.contains { $0.nanosPerMTok == 999_000_000_000 }, "the script's text is not a table")
        #expect(read.observations.allSatisfy { $0.excerptSha256?.count == 64 })
    }

    @Test("reads the batch table of the same page with the batch extractor")
    func anthropicBatch() throws {
        let read = try read("anthropic-like.html", builtIn: "anthropic-batch")
        #expect(price(read, "anthropic/claude-opus-4-5", "batch_input") == 2_500_000_000)
        #expect(price(read, "anthropic/claude-haiku-4-5", "batch_output") == 2_500_000_000)
        #expect(read.observations.count == 6)
    }

    @Test("reads a DeepSeek-style page: models across columns, merged cells, a second table in yuan")
    func deepseek() throws {
        let read = try read("deepseek-like.html", builtIn: "deepseek")
        #expect(read.layoutProblem == nil)
        for model in ["deepseek/deepseek-chat", "deepseek/deepseek-reasoner"] {
            #expect(price(read, model, "cached_input") == 28_000_000)
            #expect(price(read, model, "input") == 280_000_000)
            #expect(price(read, model, "output") == 420_000_000)
            #expect(price(read, model, "input", currency: "CNY") == 2_000_000_000)
        }
        #expect(read.observations.count == 12)
    }

    static let quirks = HTMLExtractorSpec(
        table: "//table[contains(@class, 'api-prices')]", headerRows: 2, model: "Model", tier: "Context",
        columns: ["input": ["Standard Input"], "cached_input": ["Cached input"], "output": ["Standard Output"],
                  "batch_input": ["Batch Input"], "batch_output": ["Batch Output"]])

    @Test("reads a page with every quirk through an extractor declared as data")
    func quirks() throws {
        let read = try HTMLExtractor(spec: Self.quirks, provider: "acme").extract(html: PricingFixtures.bytes("quirks.html"), url: "quirks.html")
        #expect(read.layoutProblem == nil)
        #expect(price(read, "acme/acme-ultra", "input", max: 200_000) == 3_000_000_000)
        #expect(price(read, "acme/acme-ultra", "input", min: 200_000) == 6_000_000_000)
        #expect(price(read, "acme/acme-ultra", "batch_input", max: 200_000) == 1_500_000_000)
        #expect(price(read, "acme/acme-ultra", "batch_input", min: 200_000) == nil)
        #expect(price(read, "acme/acme-swift", "output") == 1_250_000_000)
        #expect(price(read, "acme/acme-mini", "input") == 250_000_000)
        #expect(price(read, "acme/acme-mini", "output") == 1_000_000_000)
        #expect(price(read, "acme/acme-mini", "cached_input") == nil)
        #expect(price(read, "acme/acme-euro", "input", currency: "EUR") == 400_000_000)
        #expect(price(read, "acme/acme-euro", "input") == nil, "euros are never taken for dollars")
        #expect(price(read, "acme/acme-tiny", "input") == 400_000_000)
        #expect(price(read, "acme/acme-open", "output") == 0)
        #expect(price(read, "acme/acme-enterprise", "output") == 40_000_000_000)
        #expect(!read.observations.contains { $0.model.model.contains("frontier") })
        let warning = try #require(read.warnings.first { $0.contains("acme-enterprise") && $0.contains("'Standard Input'") })
        #expect(warning.contains("quirks.html: table 1 row 11") && warning.contains("no price in 'Contact sales'"))
    }

    @Test("a page whose layout no longer matches reports it instead of guessing")
    func layoutChanged() throws {
        var spec = Self.quirks
        spec.columns["input"] = ["Prompt price"]
        let read = try HTMLExtractor(spec: spec, provider: "acme").extract(html: PricingFixtures.bytes("quirks.html"), url: "quirks.html")
        #expect(read.observations.isEmpty)
        let problem = try #require(read.layoutProblem)
        #expect(problem.contains("input column 'Prompt price'") && problem.contains("'Standard Input'"))
        let none = try HTMLExtractor(spec: HTMLExtractorSpec(table: "//table[@id='gone']", columns: ["input": ["Input"]]), provider: "x")
            .extract(html: PricingFixtures.bytes("quirks.html"), url: "quirks.html")
        #expect(none.layoutProblem?.contains("no table matches") == true)
    }

    @Test("a bad XPath is a config error naming the expression")
    func badXPath() throws {
        let extractor = HTMLExtractor(spec: HTMLExtractorSpec(table: "//table[", columns: ["input": ["Input"]]), provider: "x")
        #expect(throws: AssayError.self) { try extractor.extract(html: Array("<table></table>".utf8), url: "x") }
    }

    @Test("reads an unclosed, messy page the way a browser would")
    func messyHTML() throws {
        let html = "<html><body><table id=pricing><tr><th>Model<th>Input<th>Cached input<th>Output<tr><td>m1<td>$1<td>$0.1<td>$2</table>"
        let entry = try #require(BuiltInExtractors.all["simulator"])
        let read = try HTMLExtractor(spec: entry.spec, provider: "sim").extract(html: Array(html.utf8), url: "inline")
        #expect(price(read, "sim/m1", "output") == 2_000_000_000)
    }

    @Test("reads context tiers written in the column headers")
    func tiersInHeaders() throws {
        let html = """
            <table><tr><th rowspan="2">Model</th><th colspan="2">Prompts ≤ 200K tokens</th><th colspan="2">Prompts &gt; 200K tokens</th></tr>
            <tr><th>Input</th><th>Output</th><th>Input</th><th>Output</th></tr>
            <tr><td>Claude Sonnet 4</td><td>$3 / MTok</td><td>$15 / MTok</td><td>$6 / MTok</td><td>$22.50 / MTok</td></tr></table>
            """
        let spec = HTMLExtractorSpec(table: "//table", headerRows: 2, model: "Model",
                                     columns: ["input": ["≤ 200K tokens Input", "> 200K tokens Input"],
                                               "output": ["≤ 200K tokens Output", "> 200K tokens Output"]])
        let read = try HTMLExtractor(spec: spec, provider: "anthropic").extract(html: Array(html.utf8), url: "inline")
        #expect(price(read, "anthropic/claude-sonnet-4", "input", max: 200_000) == 3_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4", "input", min: 200_000) == 6_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4", "output", min: 200_000) == 22_500_000_000)
    }

    @Test("the DeepSeek extractor also reads the page's earlier layout: a model per row, yuan beside dollars")
    func deepseekRows() throws {
        let read = try read("deepseek-rows-like.html", builtIn: "deepseek")
        #expect(read.layoutProblem == nil)
        #expect(price(read, "deepseek/deepseek-reasoner", "cached_input") == 140_000_000)
        #expect(price(read, "deepseek/deepseek-reasoner", "output") == 2_190_000_000)
        #expect(price(read, "deepseek/deepseek-chat", "input") == 270_000_000)
        #expect(price(read, "deepseek/deepseek-chat", "output", currency: "CNY") == 8_000_000_000)
        #expect(read.observations.count == 12)
    }

    @Test("the Anthropic extractor also reads a long-context table with tiers over its columns")
    func anthropicHeaderTiers() throws {
        let html = """
            <table><thead><tr><th rowspan="2">Model</th><th colspan="2">≤ 200K input tokens</th><th colspan="2">&gt; 200K input tokens</th></tr>
            <tr><th>Input</th><th>Output</th><th>Input</th><th>Output</th></tr></thead>
            <tbody><tr><td>Claude Sonnet 4.5</td><td>$3 / MTok</td><td>$15 / MTok</td><td>$6 / MTok</td><td>$22.50 / MTok</td></tr></tbody></table>
            """
        let read = try #require(BuiltInExtractors.all["anthropic"]).extractor().extract(html: Array(html.utf8), url: "inline")
        #expect(price(read, "anthropic/claude-sonnet-4-5", "input", min: 200_000) == 6_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "output", max: 200_000) == 15_000_000_000)
    }
}
