import AssayCore
import Foundation
import HTTPTypes
import Logging
import AssayProviders
import Tracing

/// OpenTelemetry traces of routed requests (the swift-distributed-tracing API; the exporter,
/// swift-otel over OTLP/HTTP, is made in AssayOTel so only the `assay` binary links it): one server
/// span per request (joining the caller's trace when it sends `traceparent`), one client span per
/// upstream attempt under it. Built only when telemetry is configured; with none, the handlers
/// make no spans at all.
public struct RequestTelemetry: Sendable {
    let tracer: any Tracer
    let providerNames: [String: String]
    let diagnostics: TelemetryDiagnostics

    /// Spans from `tracer` (swift-otel's, made by AssayOTel for `assay serve`; any Tracer in tests),
    /// losses counted by `diagnostics`.
    package init(tracer: any Tracer, providerNames: [String: String], diagnostics: TelemetryDiagnostics) {
        self.tracer = tracer
        self.providerNames = providerNames
        self.diagnostics = diagnostics
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
