import AssayCore
import AssayHarness
import AssayProviders
import Testing

@Suite("Config")
struct ConfigTests {
    @Test("the template 'assay init' writes loads cleanly")
    func template() throws {
        let config = try ConfigLoader.parse(ConfigTemplate.text, file: "assay.yaml")
        #expect(config.providers["sim"]?.baseURL == "http://127.0.0.1:8089/v1")
        #expect(config.models.count == 3)
        #expect(config.models[0].efforts == [.minimal, .low, .medium, .high])
        #expect(config.models[0].price?.rate(.cachedInput) == 25_000_000)
        #expect(config.margin == 0.02)
        #expect(config.minQuality == 0.3)
    }

    @Test("catalog_options.min_quality is read, and one outside 0…1 is refused with its line")
    func minQuality() throws {
        let config = try ConfigLoader.parse("catalog_options: {margin: 0.05, min_quality: 0.5}\n", file: "assay.yaml")
        #expect(config.minQuality == 0.5 && config.margin == 0.05)
        do {
            _ = try ConfigLoader.parse("catalog_options:\n  min_quality: 1.5\n", file: "assay.yaml")
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.map(\.description).contains { $0.hasPrefix("assay.yaml:2:") && $0.contains("min_quality: must be between 0 and 1") })
        }
    }

    @Test("unknown keys and wrong types are reported with line numbers, all at once")
    func diagnostics() throws {
        let text = """
            database: results/x.sqlite
            providres: {}
            providers:
              sim:
                type: openai
                base_url: localhost:8089
                timeout_seconds: soon
                api_key: sk-abc
            models:
              - sim/a
              - id: other/b
              - id: sim/c
                efforts: [low, extreme]
                price: {input: cheap}
            run:
              concurrency: 0
            """
        do {
            _ = try ConfigLoader.parse(text, file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:2:") && $0.contains("unknown key 'providres' (did you mean 'providers'?)") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:6:") && $0.contains("must start with http:// or https://") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:7:") && $0.contains("timeout_seconds: expected a number") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:8:") && $0.contains("unknown key 'api_key'") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:11:") && $0.contains("provider 'other'") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:13:") && $0.contains("unknown effort 'extreme'") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:14:") && $0.contains("expected a decimal number") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:16:") && $0.contains("must be between 1 and 4096") })
            #expect(!lines.joined().contains("sk-abc"), "a value that looks like a key is never echoed")
        }
    }

    @Test("effort fields, streaming and rate limits are read; a field of the wrong provider type is refused with its line")
    func providerOptions() throws {
        let config = try ConfigLoader.parse("""
            providers:
              router: {type: openai, base_url: "https://openrouter.ai/api/v1", effort_param: reasoning, stream: true, rpm: 600, tpm: 200000, concurrency: 8}
              claude: {type: anthropic, base_url: "https://api.anthropic.com/v1"}
            models:
              - {id: claude/opus, effort_param: output_config, supported_efforts: [low, high]}
            """, file: "assay.yaml")
        let router = try #require(config.providers["router"])
        #expect(router.effortParameter == .openRouterReasoning && router.stream)
        #expect(router.limits == RateLimits(requestsPerMinute: 600, tokensPerMinute: 200_000, concurrency: 8))
        #expect(config.providers["claude"]?.effortParameter == .anthropicThinking, "each type has a default")
        let opus = config.models[0]
        #expect(config.unsupportedReason(.medium, for: opus)?.contains("supported_efforts") == true)
        #expect(config.unsupportedReason(.none, for: opus) != nil)
        #expect(config.unsupportedReason(.high, for: opus) == nil)

        let bad = """
            providers:
              g: {type: gemini, base_url: "https://x/v1beta", effort_param: reasoning_effort}
              o: {type: openai, base_url: "https://x/v1", effort_param: lots}
            models:
              - {id: o/m, effort_param: thinking_level}
            """
        do {
            _ = try ConfigLoader.parse(bad, file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:2:") && $0.contains("is for openai providers, not gemini") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:3:") && $0.contains("unknown effort_param 'lots'") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:5:") && $0.contains("is for gemini providers, but 'o' is openai") })
        }
    }

    @Test("a key pasted into api_key_env is refused")
    func keyInsteadOfVariable() {
        let text = "providers:\n  p:\n    base_url: https://x/v1\n    api_key_env: sk-proj-123456\n"
        #expect(throws: DiagnosticsError.self) { try ConfigLoader.parse(text, file: "assay.yaml") }
    }

    @Test("a missing config file explains how to get one")
    func missingFile() {
        do {
            _ = try ConfigLoader.load(file: "/nonexistent/assay.yaml")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.code == .config && error.hint?.contains("assay init") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
