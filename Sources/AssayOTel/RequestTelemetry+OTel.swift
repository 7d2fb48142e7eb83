import AssayCore
import AssayServer
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// The OTLP/HTTP exporter behind `RequestTelemetry`: swift-otel lives only here, in the module the
/// `assay` binary links, so the server library (and the benchmarks and fuzzers built on it)
/// depends on the tracing API alone.
extension RequestTelemetry {
    /// The tracer for `settings` and the service that exports its spans (run it in the server's
    /// service group, shut down after the server so the last spans are sent); nil when
    /// `OTEL_SDK_DISABLED` is true. The `OTEL_*` variables swift-otel reads override `settings`.
    public static func make(_ settings: TelemetrySettings, environment: [String: String] = ProcessInfo.processInfo.environment,
                            logger: Logger) throws -> (telemetry: RequestTelemetry, service: any Service)? {
        if ["true", "1", "yes", "on"].contains(environment["OTEL_SDK_DISABLED"]?.lowercased() ?? "") { return nil }
        let diagnostics = TelemetryDiagnostics(logger: logger, endpoint: settings.tracesURL)
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.propagators = [.traceContext]
        configuration.traces.sampler = .parentBasedTraceIDRatio(ratio: settings.sampleRatio) ?? .parentBasedAlwaysOn
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.endpoint = settings.tracesURL
        configuration.traces.otlpExporter.protocol = settings.wireProtocol == .httpJSON ? .httpJSON : .httpProtobuf
        configuration.traces.otlpExporter.headers = settings.headers.map { ($0.name, $0.value) }
        configuration.diagnosticLogger = .custom(Logger(label: "assay.otel") { _ in TelemetryDiagnosticsHandler(diagnostics: diagnostics) })
        configuration.diagnosticLogLevel = .warning
        do {
            let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
            return (RequestTelemetry(tracer: tracer, providerNames: settings.providerNames, diagnostics: diagnostics), service)
        } catch {
            throw AssayError(.config, "cannot start telemetry export to \(settings.tracesURL): \(error)",
                             hint: "check the telemetry section and the OTEL_* environment variables (only http/protobuf and http/json are built in)")
        }
    }

}
