import AssayCore
import AssayHarness
import Testing

@Suite("Pricing config")
struct PricingConfigTests {
    @Test("the template's pricing section loads")
    func template() throws {
        let config = try ConfigLoader.parse(ConfigTemplate.text, file: "assay.yaml")
        #expect(config.pricing.maxChangeFactor == 5)
        #expect(config.pricing.sources.map(\.name) == ["sim-page"])
        #expect(config.pricing.sources[0].extractor == .builtIn("simulator"))
    }

    @Test("an inline extractor is read as data")
    func inline() throws {
        let text = """
            pricing:
              max_change_factor: 3
              sources:
                - name: acme
                  url: https://acme.example/pricing
                  provider: acme
                  max_change_factor: 10
                  extractor:
                    table: "//table"
                    layout: columns
                    header_rows: 2
                    model: MODEL
                    tier: Context
                    columns: {input: [CACHE MISS, Long input], output: OUTPUT}
                    unit: per_1k
                    currency: EUR
                    model_names: exact
                    aliases: {"Acme One": acme-1}
                - name: map
                  type: litellm
                  file: prices.json
            """
        let config = try ConfigLoader.parse(text, file: "assay.yaml")
        #expect(config.pricing.maxChangeFactor == 3)
        let source = try #require(config.pricing.sources.first)
        #expect(source.maxChangeFactor == 10 && source.provider == "acme" && source.declaredAt == "assay.yaml:4")
        guard case .inline(let spec)? = source.extractor else {
            Issue.record("expected an inline extractor")
            return
        }
        #expect(spec.layout == .columns && spec.headerRows == 2 && spec.model == "MODEL" && spec.tier == "Context")
        #expect(spec.columns == ["input": ["CACHE MISS", "Long input"], "output": ["OUTPUT"]])
        #expect(spec.unit == .perThousand && spec.currency == "EUR" && spec.modelNames == .exact && spec.aliases == ["Acme One": "acme-1"])
        #expect(config.pricing.sources[1].kind == .litellm && config.pricing.sources[1].file == "prices.json")
    }

    @Test("every mistake in the pricing section is reported with its line")
    func diagnostics() throws {
        let text = """
            pricing:
              max_change_factor: 0.5
              sources:
                - name: a
                  type: xml
                  url: x
                - name: b
                  url: ftp://b
                  extractor: {table: "//table", columns: {inptu: Input}, unit: per_mile}
                - name: c
                  file: c.html
                - name: d
                  type: openrouter
                  url: https://openrouter.ai/api/v1/models
                  file: d.json
            """
        let error = try #require(throws: DiagnosticsError.self) { try ConfigLoader.parse(text, file: "assay.yaml") }
        let lines = error.diagnostics.map(\.description)
        #expect(lines.contains { $0.hasPrefix("assay.yaml:2:") && $0.contains("must be more than 1") })
        #expect(lines.contains { $0.hasPrefix("assay.yaml:5:") && $0.contains("unknown source type 'xml'") })
        #expect(lines.contains { $0.hasPrefix("assay.yaml:8:") && $0.contains("must start with http://") })
        #expect(lines.contains { $0.hasPrefix("assay.yaml:9:") && $0.contains("unknown key 'inptu' (did you mean 'input'?)") })
        #expect(lines.contains { $0.hasPrefix("assay.yaml:9:") && $0.contains("unknown unit 'per_mile'") })
        #expect(lines.contains { $0.hasPrefix("assay.yaml:10:") && $0.contains("needs an 'extractor'") })
        #expect(lines.contains { $0.hasPrefix("assay.yaml:12:") && $0.contains("exactly one of 'url' or 'file'") })
    }
}
