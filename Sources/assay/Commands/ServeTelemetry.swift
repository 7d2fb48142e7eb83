import AssayCore
import AssayHarness
import AssayServer
import Foundation

extension ServeCommand {
    /// Where the `telemetry:` section (or `OTEL_EXPORTER_OTLP_ENDPOINT` alone) sends traces; nil
    /// when neither is set. A header's environment variable that is not set is an error, found
    /// before anything starts.
    func telemetrySettings(_ config: AssayConfig, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TelemetrySettings? {
        let fromEnvironment = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
        guard let section = config.telemetry ?? fromEnvironment.map(TelemetryConfig.init(endpoint:)) else { return nil }
        var headers: [(name: String, value: String)] = []
        for (name, variable) in section.headersEnv.sorted(by: { $0.key < $1.key }) {
            guard let value = environment[variable], !value.isEmpty else {
                throw AssayError(.config, "telemetry.headers_env.\(name) names \(variable), which is not set",
                                 hint: "export \(variable)=<the \(name) header's value>, or remove the header")
            }
            headers.append((name, value))
        }
        let providerNames = config.providers.mapValues { provider in
            switch provider.kind {
            case .openai: "openai"
            case .anthropic: "anthropic"
            case .gemini: "gcp.gemini"
            }
        }
        return TelemetrySettings(endpoint: section.endpoint, wireProtocol: .init(rawValue: section.wireProtocol) ?? .httpProtobuf,
                                 serviceName: section.serviceName, sampleRatio: section.sampleRatio, headers: headers, providerNames: providerNames)
    }
}
