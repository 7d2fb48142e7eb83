/// Where `assay serve` sends its traces (the `telemetry:` section of the config, docs/config.md):
/// an OTLP/HTTP collector. The standard `OTEL_*` environment variables that swift-otel reads
/// override these when set (docs/deploy.md, "Telemetry").
public struct TelemetrySettings: Sendable {
    /// How spans travel to the collector: protobuf (the OTLP default) or JSON, over HTTP.
    public enum WireProtocol: String, Sendable, CaseIterable {
        case httpProtobuf = "http/protobuf"
        case httpJSON = "http/json"
    }

    /// The collector's OTLP/HTTP base URL (`http://collector:4318`); spans go to `<endpoint>/v1/traces`
    /// (an endpoint that already ends in `/v1/traces` is taken as it is).
    public var endpoint: String
    public var wireProtocol: WireProtocol
    /// `service.name` on every span.
    public var serviceName: String
    /// The share of traces kept (0…1); a caller's sampled `traceparent` is followed either way.
    public var sampleRatio: Double
    /// Headers sent with every export, such as `Authorization`: their values come from the
    /// environment, never from the config file.
    public var headers: [(name: String, value: String)]
    /// `gen_ai.provider.name` for each configured provider name (`openai`, `anthropic`, `gcp.gemini`).
    public var providerNames: [String: String]

    public init(endpoint: String, wireProtocol: WireProtocol = .httpProtobuf, serviceName: String = "assay", sampleRatio: Double = 1,
                headers: [(name: String, value: String)] = [], providerNames: [String: String] = [:]) {
        self.endpoint = endpoint
        self.wireProtocol = wireProtocol
        self.serviceName = serviceName
        self.sampleRatio = sampleRatio
        self.headers = headers
        self.providerNames = providerNames
    }

    /// The URL spans are posted to.
    package var tracesURL: String {
        if endpoint.hasSuffix("/v1/traces") { return endpoint }
        return endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces"
    }
}
