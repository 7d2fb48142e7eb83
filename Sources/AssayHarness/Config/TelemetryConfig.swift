/// The `telemetry:` section of `assay.yaml` (docs/config.md): where `assay serve` exports
/// OpenTelemetry traces of routed requests. Absent: no traces (unless the standard
/// `OTEL_EXPORTER_OTLP_ENDPOINT` is set).
package struct TelemetryConfig: Sendable, Hashable {
    /// The collector's OTLP/HTTP base URL; spans go to `<endpoint>/v1/traces`.
    package var endpoint: String
    /// `http/protobuf` (default) or `http/json`.
    package var wireProtocol = "http/protobuf"
    package var serviceName = "assay"
    /// The share of traces kept, 0…1.
    package var sampleRatio = 1.0
    /// Export headers by name, each naming the environment variable that holds its value (an
    /// auth token never sits in the file).
    package var headersEnv: [String: String] = [:]

    package init(endpoint: String) {
        self.endpoint = endpoint
    }
}
