import AssayCore
import AssayHarness
import AssaySuites
import Testing

/// `serve.aliases` and `serve.unknown_prompts`: read as written, every bad value reported with its line.
@Suite("Serve routing config")
struct ServeRoutingConfigTests {
    static let head = """
        providers:
          sim: {type: openai, base_url: "http://127.0.0.1:8089/v1"}
        models:
          - sim/a
        """

    @Test("aliases keep their order; unknown_prompts reads its policy, entry and thresholds")
    func valid() throws {
        let config = try ConfigLoader.parse(Self.head + """

            serve:
              aliases:
                - {match: "claude-sonnet-*", route: "auto:coding"}
                - {match: "claude-*", route: auto}
                - {match: gpt-4o, route: sim/a}
              unknown_prompts: {policy: default_entry, entry: "sim/a@low", confidence_below: 0.4, similarity_below: 0.1}
            """, file: "assay.yaml")
        #expect(config.serve.aliases.map(\.match) == ["claude-sonnet-*", "claude-*", "gpt-4o"])
        #expect(config.serve.aliases.map(\.route) == ["auto:coding", "auto", "sim/a"])
        #expect(config.serve.unknownPrompts.policy == "default_entry" && config.serve.unknownPrompts.entry == "sim/a@low")
        #expect(config.serve.unknownPrompts.confidenceBelow == 0.4 && config.serve.unknownPrompts.similarityBelow == 0.1)
        let defaults = try ConfigLoader.parse(Self.head, file: "assay.yaml")
        #expect(defaults.serve.aliases.isEmpty && defaults.serve.unknownPrompts.policy == "mix")
    }

    @Test("bad aliases and policies are reported with line and key path")
    func invalid() throws {
        let text = Self.head + """

            serve:
              aliases:
                - {match: "claude-*", route: "claude-sonnet"}
                - {match: "", route: auto}
                - {route: auto}
                - {match: x, route: auto, weight: 2}
              unknown_prompts: {policy: cheapest, confidence_below: 2}
            """
        do {
            _ = try ConfigLoader.parse(text, file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:7:") && $0.contains("serve.aliases[0].route: expected auto, auto:<task> or provider/model, found 'claude-sonnet'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:8:") && $0.contains("serve.aliases[1].match: must not be empty") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:9:") && $0.contains("missing required key 'match'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:10:") && $0.contains("unknown key 'weight'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:11:") && $0.contains("expected mix, default_entry or robust, found 'cheapest'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:11:") && $0.contains("must be between 0 and 1") }, "\(lines)")
        }
        #expect(throws: DiagnosticsError.self) {
            try ConfigLoader.parse(Self.head + "\nserve:\n  unknown_prompts: {policy: default_entry}\n", file: "assay.yaml")
        }
        #expect(throws: DiagnosticsError.self) {
            try ConfigLoader.parse(Self.head + "\nserve:\n  unknown_prompts: {policy: default_entry, entry: sim/a}\n", file: "assay.yaml")
        }
    }

    @Test("catalog_url takes an http(s) URL, a poll interval and the name of a token variable; anything else names its line")
    func catalogURL() throws {
        let config = try ConfigLoader.parse(Self.head + """

            serve:
              catalog_url: https://measure.example.com/catalog.json
              catalog_poll_seconds: 15
              catalog_token_env: ASSAY_CATALOG_TOKEN
            """, file: "assay.yaml")
        #expect(config.serve.catalogURL == "https://measure.example.com/catalog.json" && config.serve.catalogPollSeconds == 15)
        #expect(config.serve.catalogTokenEnv == "ASSAY_CATALOG_TOKEN")
        do {
            _ = try ConfigLoader.parse(Self.head + "\nserve:\n  catalog_url: file:///etc/passwd\n  catalog_poll_seconds: 0\n  catalog_token_env: 'a b'\n",
                                       file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:6:") && $0.contains("is not an http(s) URL") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:7:") && $0.contains("between 1 and 86400") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:8:") && $0.contains("environment variable") }, "\(lines)")
        }
    }
}
