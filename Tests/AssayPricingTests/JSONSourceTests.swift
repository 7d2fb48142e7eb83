import AssayCore
import AssayStore
import Foundation
import Testing
@testable import AssayPricing

@Suite("JSON sources")
struct JSONSourceTests {
    func price(_ read: SourceRead, _ model: String, _ dimension: String, min: Int? = nil) -> Int64? {
        read.observations.first { $0.model.description == model && $0.dimension == dimension && $0.tierMinTokens == min }?.nanosPerMTok
    }

    @Test("reads OpenRouter's model list: per-token strings, cache and reasoning prices, free models")
    func openRouter() throws {
        let read = OpenRouterSource().read(json: try PricingFixtures.bytes("openrouter-models.json"), location: "models.json")
        #expect(read.layoutProblem == nil)
        #expect(price(read, "openrouter/anthropic/claude-sonnet-4.5", "input") == 3_000_000_000)
        #expect(price(read, "openrouter/anthropic/claude-sonnet-4.5", "cached_input") == 300_000_000)
        #expect(price(read, "openrouter/anthropic/claude-sonnet-4.5", "cache_write") == 3_750_000_000)
        #expect(price(read, "openrouter/anthropic/claude-sonnet-4.5", "reasoning") == nil, "\"0\" means billed as output")
        #expect(price(read, "openrouter/openai/gpt-5-mini", "reasoning") == 2_000_000_000)
        #expect(price(read, "openrouter/deepseek/deepseek-chat-v3.1", "output") == 1_100_000_000)
        #expect(price(read, "openrouter/meta-llama/llama-3.3-8b-instruct:free", "input") == 0)
        #expect(read.entries == 8 && read.imported == 5 && read.rejected == 3)
        #expect(read.warnings.count == 3)
        #expect(read.warnings.contains { $0.contains("data[5]") && $0.contains("openrouter/auto") && $0.contains("negative") })
        #expect(read.warnings.contains { $0.contains("data[6]") && $0.contains("no 'pricing'") })
        #expect(read.warnings.contains { $0.contains("data[7]") && $0.contains("no 'id'") })
    }

    @Test("a file that is not a model list is a layout problem, not a crash")
    func openRouterWrongShape() {
        #expect(OpenRouterSource().read(json: Array("{\"models\": []}".utf8), location: "x").layoutProblem != nil)
        #expect(OpenRouterSource().read(json: Array("<html>".utf8), location: "x").layoutProblem != nil)
    }

    @Test("reads a LiteLLM cost map: tiers, batches, cache prices; skips and reports the rest")
    func liteLLM() throws {
        let read = LiteLLMSource().read(json: try PricingFixtures.bytes("litellm-sample.json"), location: "map.json")
        #expect(read.layoutProblem == nil)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "input") == 3_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "input", min: 200_000) == 6_000_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "output", min: 200_000) == 22_500_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "cached_input", min: 200_000) == 600_000_000)
        #expect(price(read, "anthropic/claude-sonnet-4-5", "batch_output") == 7_500_000_000)
        #expect(price(read, "openai/gpt-5-mini", "cached_input") == 25_000_000)
        #expect(price(read, "openai/gpt-5-mini", "reasoning") == 2_000_000_000)
        #expect(price(read, "deepseek/deepseek-chat", "output") == 420_000_000)
        #expect(price(read, "gemini/gemini-2.5-pro", "output", min: 200_000) == 15_000_000_000)
        #expect(price(read, "mistral/null-cache", "cached_input") == nil)
        #expect(read.entries == 13)
        #expect(read.skipped["mode embedding"] == 1 && read.skipped["mode image_generation"] == 1)
        #expect(read.skipped["no per-token input or output price"] == 1)
        #expect(price(read, "together_ai/tiny", "input") == 123_457)
        for key in ["bad/string-price", "bad/negative", "bad/not-an-object"] {
            #expect(read.warnings.contains { $0.contains("\"\(key)\"") }, "\(key) is reported")
        }
        #expect(read.skipped["another entry names the same model"] == 1)
        #expect(read.imported + read.rejected + read.skipped.values.reduce(0, +) == read.entries, "every entry imported or reported")
    }

    @Test("imports a cost map of thousands of entries, every one imported or reported")
    func liteLLMThousands() throws {
        var entries: [String] = []
        for i in 0..<5_000 {
            switch i % 10 {
            case 0: entries.append("\"emb-\(i)\": {\"input_cost_per_token\": 1e-08, \"litellm_provider\": \"openai\", \"mode\": \"embedding\"}")
            case 1: entries.append("\"bad-\(i)\": {\"input_cost_per_token\": \"n/a\", \"output_cost_per_token\": 1e-06, \"litellm_provider\": \"x\"}")
            case 2: entries.append("\"weird-\(i)\": [1, 2]")
            default: entries.append("\"p\(i % 7)/model-\(i)\": {\"input_cost_per_token\": \(i)e-09, \"output_cost_per_token\": 0.00000\(i % 9 + 1), \"litellm_provider\": \"p\(i % 7)\", \"mode\": \"chat\"}")
            }
        }
        let json = "{" + entries.joined(separator: ",\n") + "}"
        let read = LiteLLMSource().read(json: Array(json.utf8), location: "big.json")
        #expect(read.entries == 5_000)
        let imported = Set(read.observations.map(\.model)).count
        #expect(imported == 3_500)
        #expect(read.rejected == 1_000 && read.skipped["mode embedding"] == 500 && read.imported == 3_500)
        #expect(price(read, "p2/model-1234", "input") == 1_234_000_000)
    }

    @Test("reads the real LiteLLM cost map when it is on this machine", .enabled(if: JSONSourceTests.realMap != nil))
    func realLiteLLM() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.realMap!))
        let read = LiteLLMSource().read(json: Array(data), location: Self.realMap!)
        #expect(read.layoutProblem == nil)
        #expect(read.entries > 1_000)
        #expect(read.imported > 1_000)
        #expect(read.imported + read.rejected + read.skipped.values.reduce(0, +) == read.entries)
    }

    static var realMap: String? {
        let path = ProcessInfo.processInfo.environment["ASSAY_LITELLM_MAP"] ?? "/tmp/litellm/model_prices_and_context_window_backup.json"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
