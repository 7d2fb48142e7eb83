/// The `pricing:` section of `assay.yaml`: where prices come from and how far one may move
/// before a person must approve it (docs/pricing.md).
package struct PricingConfig: Sendable, Hashable {
    package var maxChangeFactor: Double
    package var sources: [PriceSourceSpec]

    package init(maxChangeFactor: Double = 5, sources: [PriceSourceSpec] = []) {
        self.maxChangeFactor = maxChangeFactor
        self.sources = sources
    }
}

/// One pricing source: an HTML page read with an extractor, OpenRouter's model list, or a
/// LiteLLM-format cost map; from a URL or a local file.
package struct PriceSourceSpec: Sendable, Hashable {
    package enum Kind: String, Sendable, CaseIterable { case html, openrouter, litellm }

    package enum Extractor: Sendable, Hashable {
        /// One of the extractors Assay ships (`simulator`, `anthropic`, `deepseek`).
        case builtIn(String)
        case inline(HTMLExtractorSpec)
    }

    package var name: String
    package var kind: Kind
    package var url: String?
    package var file: String?
    /// The provider part of the model refs this source prices (`anthropic` in `anthropic/claude-…`).
    /// OpenRouter and LiteLLM sources default to the provider each entry names.
    package var provider: String?
    package var extractor: Extractor?
    /// Overrides the section's `max_change_factor` for this source.
    package var maxChangeFactor: Double?
    /// Where the source was declared (`assay.yaml:31`), for messages.
    package var declaredAt: String

    package init(name: String, kind: Kind, url: String? = nil, file: String? = nil, provider: String? = nil,
                extractor: Extractor? = nil, maxChangeFactor: Double? = nil, declaredAt: String = "") {
        self.name = name
        self.kind = kind
        self.url = url
        self.file = file
        self.provider = provider
        self.extractor = extractor
        self.maxChangeFactor = maxChangeFactor
        self.declaredAt = declaredAt
    }

    /// The URL or file, for messages and history.
    package var location: String { url ?? file ?? "" }
}

/// How to read prices out of an HTML page: which tables, which column (or row) names the model,
/// which hold which price dimension, and the unit prices are quoted in. Headers are matched
/// case-insensitively: an exact match first, else the one header that contains the text.
public struct HTMLExtractorSpec: Sendable, Hashable, Codable {
    /// `rows`: one model per row (most pages). `columns`: one model per column, dimensions down
    /// the rows (DeepSeek's layout).
    public enum Layout: String, Sendable, Codable, CaseIterable { case rows, columns }
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case perMillion = "per_1m", perThousand = "per_1k", perToken = "per_token"

        /// Decimal places to add to a dollar amount to get nano-dollars per million tokens.
        package var extraDigits: Int {
            switch self {
            case .perMillion: 0
            case .perThousand: 3
            case .perToken: 6
            }
        }
    }
    /// `slug`: `Claude Sonnet 4.5` → `claude-sonnet-4-5` (parenthesised notes dropped); `exact`: as written.
    public enum ModelNames: String, Sendable, Codable, CaseIterable { case slug, exact }

    /// XPath selecting the pricing table(s); tables whose headers do not match are skipped.
    public var table: String
    public var layout: Layout
    /// Header rows (`columns` layout: label columns) whose text names each column.
    public var headerRows: Int
    /// Header of the column naming the model; empty: the first column.
    public var model: String
    /// Header of a column holding a context tier (`≤200K`); tiers are also read from the model
    /// cell and from a price column's header.
    public var tier: String?
    /// Dimension (`input`, `cached_input`, `cache_write`, `output`, `reasoning`, `batch_input`,
    /// `batch_output`) → the headers of the columns holding it.
    public var columns: [String: [String]]
    public var unit: Unit
    /// Currency of prices whose cell shows no symbol.
    public var currency: String
    public var modelNames: ModelNames
    /// Page name → model id, where slugging is not enough.
    public var aliases: [String: String]

    public init(table: String, layout: Layout = .rows, headerRows: Int = 1, model: String = "", tier: String? = nil,
                columns: [String: [String]], unit: Unit = .perMillion, currency: String = "USD",
                modelNames: ModelNames = .slug, aliases: [String: String] = [:]) {
        self.table = table
        self.layout = layout
        self.headerRows = headerRows
        self.model = model
        self.tier = tier
        self.columns = columns
        self.unit = unit
        self.currency = currency
        self.modelNames = modelNames
        self.aliases = aliases
    }

    /// Dimensions a column may hold.
    package static let dimensions = PriceDimension.allCases.map(\.rawValue) + ["batch_input", "batch_output"]
}
