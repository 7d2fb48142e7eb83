import AssayCore
import AssayHarness
import AssayServer
import Foundation
import Logging
import ServiceLifecycle

extension ServeCommand {
    /// The tracer and export service the `telemetry:` section (or `OTEL_EXPORTER_OTLP_ENDPOINT`
    /// alone) asks for; nil when neither is set. A header's environment variable that is not set
    /// is an error before the server starts.
    func telemetry(_ config: AssayConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
                   logger: Logger) throws -> (telemetry: RequestTelemetry, service: any Service)? {
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
        let settings = TelemetrySettings(endpoint: section.endpoint, wireProtocol: .init(rawValue: section.wireProtocol) ?? .httpProtobuf,
                                         serviceName: section.serviceName, sampleRatio: section.sampleRatio, headers: headers,
                                         providerNames: providerNames)
        return try RequestTelemetry.make(settings, environment: environment, logger: logger)
    }
}
