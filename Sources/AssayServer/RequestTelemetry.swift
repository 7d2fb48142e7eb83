import AssayCore
import Foundation
import HTTPTypes
import Logging
import AssayProviders
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces of routed requests, exported over OTLP/HTTP by swift-otel: one server
/// span per request (joining the caller's trace when it sends `traceparent`), one client span per
/// upstream attempt under it. Built only when telemetry is configured; with none, the handlers
/// make no spans at all.
public struct RequestTelemetry: Sendable {
    let tracer: any Tracer
    let providerNames: [String: String]
    let diagnostics: TelemetryDiagnostics

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

    /// The server span of one request to `endpoint`, a child of the caller's trace when its
    /// headers carry a W3C `traceparent`.
    func requestSpan(_ endpoint: String, headers: HTTPFields) -> any Span {
        var context = InstrumentationContext.topLevel
        tracer.extract(headers, into: &context, using: TraceContextExtractor())
        let span = tracer.startSpan(GenAIAttributes.chat, context: context, ofKind: .server)
        span.updateAttributes { attributes in
            attributes[GenAIAttributes.operationName] = GenAIAttributes.chat
            attributes[GenAIAttributes.httpRoute] = endpoint
            if let client = headers[ProxyHandlers.clientHeader] { attributes[GenAIAttributes.client] = client }
        }
        return span
    }

    /// What the request asked (never its messages).
    func asked(_ span: any Span, model: String, maxTokens: Int?, temperature: Double?, stream: Bool) {
        span.operationName = "\(GenAIAttributes.chat) \(model)"
        span.updateAttributes { attributes in
            attributes[GenAIAttributes.requestModel] = model
            attributes[GenAIAttributes.requestStream] = stream
            if let maxTokens { attributes[GenAIAttributes.requestMaxTokens] = maxTokens }
            if let temperature { attributes[GenAIAttributes.requestTemperature] = temperature }
        }
    }

    /// The span of one upstream attempt, `index` (0: the decision's first choice) under `parent`.
    func attemptSpan(_ target: ProxyHandlers.Target, index: Int, parent: InstrumentationContext?) -> any Span {
        let span = tracer.startSpan("\(GenAIAttributes.chat) \(target.model.model)", context: parent ?? .topLevel, ofKind: .client)
        span.updateAttributes { attributes in
            attributes[GenAIAttributes.operationName] = GenAIAttributes.chat
            attributes[GenAIAttributes.requestModel] = target.model.model
            attributes[GenAIAttributes.routeEntry] = EntryKey(target.model, target.effort ?? .none).description
            attributes[GenAIAttributes.attemptIndex] = index
            if let provider = providerNames[target.model.provider] { attributes[GenAIAttributes.providerName] = provider }
        }
        return span
    }

    /// Ends an attempt's span with the answer's model and usage.
    func attemptAnswered(_ span: any Span, _ answer: ChatResponse, cost: Money?) {
        span.updateAttributes { attributes in
            Self.setAnswer(answer, cost: cost, on: &attributes)
        }
        span.end()
    }

    /// Ends an attempt's span as failed, with the failure's kind (never its message: an
    /// upstream's error text may quote the request).
    func attemptFailed(_ span: any Span, kind: String) {
        span.attributes[GenAIAttributes.errorType] = kind
        span.setStatus(SpanStatus(code: .error, message: kind))
        span.end()
    }

    static func setAnswer(_ answer: ChatResponse, cost: Money?, on attributes: inout SpanAttributes) {
        if let model = answer.model { attributes[GenAIAttributes.responseModel] = model }
        attributes[GenAIAttributes.inputTokens] = answer.usage.inputTokens
        attributes[GenAIAttributes.outputTokens] = answer.usage.outputTokens
        if answer.usage.cachedInputTokens > 0 { attributes[GenAIAttributes.cacheReadInputTokens] = answer.usage.cachedInputTokens }
        if let finish = answer.finishReason { attributes[GenAIAttributes.responseFinishReasons] = [finish] }
        if let cost { attributes[GenAIAttributes.costNanodollars] = cost.nanoUSD }
    }
}
