import HTTPTypes
import Tracing

/// Reads a caller's W3C trace context (`traceparent`, `tracestate`) from request headers, so
/// Assay's spans join the caller's trace.
struct TraceContextExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}
