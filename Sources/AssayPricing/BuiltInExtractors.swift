import AssayCore

/// Extractors Assay ships for pages it knows: the simulator's, and the layouts of Anthropic's
/// and DeepSeek's pricing tables. Each is plain data, the same as an inline extractor in
/// `assay.yaml`.
public enum BuiltInExtractors {
    public struct Entry: Sendable {
        /// The layouts it reads; every one is tried and what they find is merged, so one entry
        /// covers a page's several tables, or the layouts a provider's page has had.
        package var specs: [HTMLExtractorSpec]
        /// The provider its prices belong to unless the source says otherwise.
        public var provider: String

        init(spec: HTMLExtractorSpec, also others: [HTMLExtractorSpec] = [], provider: String) {
            self.specs = [spec] + others
            self.provider = provider
        }

        public var spec: HTMLExtractorSpec { specs[0] }

        public func extractor(provider: String? = nil) -> MultiExtractor {
            MultiExtractor(extractors: specs.map { HTMLExtractor(spec: $0, provider: provider ?? self.provider) })
        }
    }

    public static let all: [String: Entry] = [
        // `assay simulate`'s /pricing: one row per model, $ per 1M tokens.
        "simulator": Entry(spec: HTMLExtractorSpec(
            table: "//table[@id='pricing']", model: "Model",
            columns: ["input": ["Input"], "cached_input": ["Cached input"], "output": ["Output"]],
            modelNames: .exact), provider: "sim"),
        // Anthropic: "Model | Base Input Tokens | 5m Cache Writes | 1h Cache Writes | Cache Hits &
        // Refreshes | Output Tokens", cells like "$3 / MTok", model names like "Claude Sonnet 4.5".
        // Long-context rows name their tier in the model cell; a long-context table may instead
        // put "≤ 200K input tokens" / "> 200K input tokens" over Input and Output columns.
        "anthropic": Entry(spec: HTMLExtractorSpec(
            table: "//table", model: "Model",
            columns: ["input": ["Base Input"], "cache_write": ["5m Cache Writes"], "cached_input": ["Cache Hits"],
                      "output": ["Output"]]),
            also: [HTMLExtractorSpec(
                table: "//table", headerRows: 2, model: "Model",
                columns: ["input": ["≤ 200K input tokens Input", "> 200K input tokens Input"],
                          "output": ["≤ 200K input tokens Output", "> 200K input tokens Output"]])],
            provider: "anthropic"),
        // Anthropic's batch table: "Model | Batch input | Batch output".
        "anthropic-batch": Entry(spec: HTMLExtractorSpec(
            table: "//table", model: "Model",
            columns: ["batch_input": ["Batch input"], "batch_output": ["Batch output"]]), provider: "anthropic"),
        // DeepSeek: models across the header row, dimensions down the rows under a merged
        // "PRICING" cell; prices shared by both models span both columns. Its earlier layout:
        // one model per row, "1M Tokens Input Price (Cache Hit)"-style headers, USD and CNY tables.
        "deepseek": Entry(spec: HTMLExtractorSpec(
            table: "//table", layout: .columns, headerRows: 2, model: "MODEL",
            columns: ["cached_input": ["CACHE HIT"], "input": ["CACHE MISS"], "output": ["OUTPUT TOKENS"]],
            modelNames: .exact),
            also: [HTMLExtractorSpec(
                table: "//table", model: "Model",
                columns: ["cached_input": ["Cache Hit"], "input": ["Cache Miss"], "output": ["Output Price"]],
                modelNames: .exact)],
            provider: "deepseek"),
    ]

    public static var names: [String] { all.keys.sorted() }
}
