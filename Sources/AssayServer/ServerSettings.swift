import AssayCore
import AssayRouter
import AssayTraffic

/// How `assay serve` treats its callers and what it counts, beyond routing (the `serve:` section
/// of the config; docs/server.md).
public struct ServerSettings: Sendable {
    /// Client keys and their rate limits; nil serves anyone who can reach the port.
    public var keys: ClientKeyGate?
    /// The model traffic would go to without Assay, for `assay_baseline_cost_nusd_total` and the
    /// estimated savings; its prices must be in `prices`.
    public var baseline: ModelRef?
    /// Today's prices by `provider/model`, for the cost and savings counters.
    public var prices: [String: PriceSheet]
    /// Conversations remembered for prompt-cache stickiness (least recently used dropped first).
    public var sessionCapacity: Int
    /// A request's whole time, over every candidate it tries.
    public var deadline: Duration
    /// How long one candidate may take to answer before the next is tried.
    public var attemptTimeout: Duration
    /// Concrete models that pass through unrouted (besides the catalog's, which always may).
    package var passthrough: PassthroughPolicy = .none
    /// `provider/model` names known not to take tools (their listing's supported parameters lack
    /// `tools`): a routed request with tools does not go to them.
    package var modelsWithoutTools: Set<String> = []
    /// Requested model names routed as another (`serve.aliases`), before the passthrough check.
    package var aliases = ModelAliases()
    /// The most `max_tokens` one request may ask (a client key may set a lower cap).
    public var maxTokens: Int = 200_000
    /// Who may call from where: the names `Host` may carry and the origins browsers may send from.
    package var browserGuard = BrowserGuard()
    /// Connections and requests at once, and how long a client may take to send a request.
    public var load = LoadLimits()
    /// Where every request is recorded (nil: no traffic log), and which prompts are kept.
    public var traffic: TrafficLog?
    package var capture = CaptureSettings()
    /// The per-task cascades of `serve.cascade.plan` (nil: none loaded, `x-assay-tradeoff: cascade`
    /// is refused), and whether routed requests take the cascade objective unless their header
    /// names another (`serve.cascade.default`).
    package var cascades: CascadeRoutes?
    package var cascadeByDefault = false
    /// The model a cascade's `judge` check asks (the `judge:` of `assay.yaml`, the one judge-graded
    /// suites use), without an effort, as the judge grader asks it.
    package var cascadeJudge: ModelRef?
    /// OpenTelemetry traces of routed requests (nil: none, and no span is made).
    public var telemetry: RequestTelemetry?
    /// Whether a `/v1` request's work runs on its connection's event loop (`LoopAffinityMiddleware`)
    /// rather than hopping to the concurrency pool at every await. Off by default: it measured no
    /// gain (Benchmarks/README.md, proxy-overhead's loop-affinity row), and a handler's blocking
    /// work would then stall every connection on that loop.
    public var loopAffinity = false

    /// Prompts and answers are stored only when the operator opts in: a share of requests,
    /// redacted, each cut to `maxBytes`.
    package struct CaptureSettings: Sendable {
        package var sampleRate: Double
        package var maxBytes: Int
        package init(sampleRate: Double = 0, maxBytes: Int = 16_384) {
            self.sampleRate = sampleRate
            self.maxBytes = maxBytes
        }
    }

    public init(keys: ClientKeyGate? = nil, baseline: ModelRef? = nil, prices: [String: PriceSheet] = [:], sessionCapacity: Int = 10_000,
                deadline: Duration = .seconds(600), attemptTimeout: Duration = .seconds(120)) {
        self.deadline = deadline
        self.attemptTimeout = attemptTimeout
        self.keys = keys
        self.baseline = baseline
        self.prices = prices
        self.sessionCapacity = sessionCapacity
    }
}
