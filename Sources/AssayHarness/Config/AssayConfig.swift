import AssayCatalog
import AssayCore
import AssayPostgres
import AssayProviders

/// `assay.yaml`: providers, models, efforts, budget and paths (docs/config.md).
public struct AssayConfig: Sendable {
    public struct ModelEntry: Sendable, Hashable {
        public var ref: ModelRef
        /// Efforts to measure this model at; nil means the config's default efforts.
        public var efforts: [Effort]?
        /// Configured prices; scraped prices (when present) take precedence in later versions.
        public var price: PriceSheet?
        /// Overrides the provider's effort field for this model.
        public var effortParameter: EffortParameter?
        /// The efforts the model accepts, when it takes fewer than its effort field can express.
        public var supportedEfforts: [Effort]?

        public init(ref: ModelRef, efforts: [Effort]? = nil, price: PriceSheet? = nil, effortParameter: EffortParameter? = nil,
                    supportedEfforts: [Effort]? = nil) {
            self.ref = ref
            self.efforts = efforts
            self.price = price
            self.effortParameter = effortParameter
            self.supportedEfforts = supportedEfforts
        }
    }

    /// Which listed models `assay models discover` queues for measuring, per provider.
    package struct DiscoveryRule: Sendable, Hashable {
        /// Shell-style patterns (`gpt-5*`); a model is queued when it matches one of these…
        package var include: [String]
        /// …and none of these.
        package var exclude: [String]
        /// Efforts to measure queued models at; nil means the config's default efforts.
        package var efforts: [Effort]?

        package init(include: [String] = [], exclude: [String] = [], efforts: [Effort]? = nil) {
            self.include = include
            self.exclude = exclude
            self.efforts = efforts
        }

        package func queues(_ model: String) -> Bool {
            include.contains { Glob.matches($0, model) } && !exclude.contains { Glob.matches($0, model) }
        }
    }

    /// `nightly:` settings.
    package struct Nightly: Sendable, Hashable {
        /// The night's hard spending ceiling.
        package var budget: Money?
        /// Results older than this are measured again.
        package var maxAgeDays: Int

        package init(budget: Money? = nil, maxAgeDays: Int = 30) {
            self.budget = budget
            self.maxAgeDays = maxAgeDays
        }
    }

    /// `serve:` settings for `assay serve` (docs/server.md).
    package struct Serve: Sendable, Hashable {
        /// The client keys file; nil serves without keys.
        package var keysFile: String?
        /// Requests per minute per client key unless the key sets its own; 0 is unlimited.
        package var rpm: Int = 600
        /// The model traffic would go to without Assay, for the estimated-savings metric.
        package var baseline: ModelRef?
        /// Conversations remembered for prompt-cache stickiness.
        package var sessions: Int = 10_000
        /// A request's whole time over every candidate, seconds.
        package var deadlineSeconds: Double = 600
        /// How long one candidate may take before the next is tried, seconds.
        package var attemptTimeoutSeconds: Double = 120
        /// Concrete provider/model names (or `prefix*` patterns) passed through unrouted, besides
        /// the `models:` list and the catalog's models.
        package var passthrough: [String] = []
        /// The most `max_tokens` one request may ask.
        package var maxTokens: Int = 200_000
        /// Names `Host` may carry; nil: the loopback names for a loopback bind, the bound address
        /// too for another, any for a wildcard bind (0.0.0.0, ::).
        package var allowedHosts: [String]?
        /// Origins whose web pages may call (`https://app.example.com`); none by default.
        package var allowedOrigins: [String] = []
        /// Connections at once (more wait in the backlog) and requests being answered at once (more get 503).
        package var maxConnections: Int = 1_024
        package var maxInFlight: Int = 256
        /// A connection idle this long is closed (this also bounds a slowly sent request head), seconds.
        package var idleTimeoutSeconds: Double = 60
        /// A request body must arrive whole within this, seconds.
        package var bodyTimeoutSeconds: Double = 30
        /// The traffic log (`serve.traffic`).
        package var traffic = Traffic()
        /// Requested model names routed as another, first match wins (`serve.aliases`).
        package var aliases: [Alias] = []
        /// What prompts far from every measured item get (`serve.unknown_prompts`).
        package var unknownPrompts = UnknownPrompts()
        /// Where the measuring machine publishes `catalog.json` (`serve.catalog_url`): followed by
        /// conditional GET every `catalogPollSeconds`, with a bearer token from `catalogTokenEnv`.
        package var catalogURL: String?
        package var catalogPollSeconds: Double = 30
        package var catalogTokenEnv: String?

        /// `serve.unknown_prompts`: `policy` (mix, default_entry, robust), the default `entry`,
        /// and the thresholds under which a classified prompt is unknown.
        package struct UnknownPrompts: Sendable, Hashable {
            package var policy = "mix"
            package var entry: String?
            package var confidenceBelow = 0.5
            package var similarityBelow = 0.0

            package init() {}
        }

        package init() {}

        /// `{match: pattern, route: auto | auto:<task> | provider/model}`.
        package struct Alias: Sendable, Hashable {
            package var match: String
            package var route: String

            package init(match: String, route: String) {
                self.match = match
                self.route = route
            }
        }
    }

    /// `serve.traffic:`: where `assay serve` records every request, for how long, and whether
    /// prompts and answers are kept (docs/server.md#traffic-log).
    package struct Traffic: Sendable, Hashable {
        package var enabled = true
        package var database = "results/traffic.sqlite"
        package var maxAgeDays = 30
        package var maxRows = 10_000_000
        package var queue = 100_000
        /// The share of requests whose prompt and answer are stored (redacted); 0 stores none.
        package var captureSampleRate = 0.0
        package var captureMaxBytes = 16_384

        package init() {}
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
    /// The floor under every pick (`catalog_options.min_quality`).
    package var minQuality: Double = CatalogBuilder.defaultMinQuality
    package var discovery: [String: DiscoveryRule] = [:]
    package var nightly = Nightly()
    /// Where prices are scraped from (`pricing:`, docs/pricing.md).
    package var pricing = PricingConfig()
    /// The model that scores `judge`-graded suites (called at temperature 0).
    public var judge: ModelRef?
    /// Python sandboxes at once for `python-tests` (default: the number of cores).
    public var sandboxes: Int?
    /// Run python-tests answers where bubblewrap cannot isolate them (`--allow-unsandboxed-code`;
    /// a command-line choice, never read from the config file).
    package var allowUnsandboxedCode = false
    package var serve = Serve()
    /// The shared PostgreSQL store (`postgres:`); nil keeps everything in local SQLite files.
    package var postgres: PostgresSettings?
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

    /// The field that carries `model`'s effort.
    package func effortParameter(for model: ModelEntry) -> EffortParameter? {
        model.effortParameter ?? providers[model.ref.provider]?.effortParameter
    }

    /// Why `model` cannot be measured at `effort`, or nil when it can.
    package func unsupportedReason(_ effort: Effort, for model: ModelEntry) -> String? {
        if let supported = model.supportedEfforts, !supported.contains(effort) {
            return "the model takes only \(supported.map(\.rawValue).joined(separator: ", ")) (supported_efforts)"
        }
        if let parameter = effortParameter(for: model), !parameter.expressibleEfforts.contains(effort) {
            return parameter == .omitted
                ? "its provider takes no effort parameter (effort_param: none), so only 'none' is measured"
                : "effort_param '\(parameter.rawValue)' expresses only \(parameter.expressibleEfforts.map(\.rawValue).joined(separator: ", "))"
        }
        return nil
    }
}
