import AssayCore
import AssayProviders

/// `assay.yaml`: providers, models, efforts, budget and paths (docs/config.md).
public struct AssayConfig: Sendable {
    public struct ModelEntry: Sendable, Hashable {
        public var ref: ModelRef
        /// Efforts to measure this model at; nil means the config's default efforts.
        public var efforts: [Effort]?
        /// Configured prices; scraped prices (when present) take precedence in later versions.
        public var price: PriceSheet?

        public init(ref: ModelRef, efforts: [Effort]? = nil, price: PriceSheet? = nil) {
            self.ref = ref
            self.efforts = efforts
            self.price = price
        }
    }

    public var file: String?
    public var database: String
    public var suites: String
    public var catalog: String
    public var providers: [String: ProviderSettings]
    public var models: [ModelEntry]
    public var efforts: [Effort]
    public var concurrency: Int
    public var epochs: Int
    public var maxTokens: Int
    public var budget: Money?
    public var margin: Double
    /// The model that scores `judge`-graded suites (called at temperature 0).
    public var judge: ModelRef?
    /// Python sandboxes at once for `python-tests` (default: the number of cores).
    public var sandboxes: Int?
    /// SHA-256 of the config text, stored with each run.
    public var sha256: String

    public init(file: String? = nil, database: String = "results/assay.sqlite", suites: String = "suites",
                catalog: String = "catalog", providers: [String: ProviderSettings] = [:], models: [ModelEntry] = [],
                efforts: [Effort] = [.low, .medium, .high], concurrency: Int = 16, epochs: Int = 1, maxTokens: Int = 16_384,
                budget: Money? = nil, margin: Double = 0.02, sha256: String = "") {
        self.file = file
        self.database = database
        self.suites = suites
        self.catalog = catalog
        self.providers = providers
        self.models = models
        self.efforts = efforts
        self.concurrency = concurrency
        self.epochs = epochs
        self.maxTokens = maxTokens
        self.budget = budget
        self.margin = margin
        self.sha256 = sha256
    }

    /// The efforts to run `model` at.
    public func efforts(for model: ModelEntry) -> [Effort] { model.efforts ?? efforts }
}
