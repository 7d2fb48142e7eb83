import Logging
import Synchronization

/// swift-otel's own log turned into what an operator needs: the spans it could not deliver (the
/// collector unreachable or refusing, or the export queue full) counted in
/// `assay_otel_spans_dropped_total`, and the first such loss logged once, not once a batch.
/// Exports run off the request path, so a dead collector costs requests nothing.
package final class TelemetryDiagnostics: Sendable {
    private struct State {
        var metrics: ServerMetrics?
        /// Drops seen before the server's metrics were attached, by reason.
        var pending: [String: Int] = [:]
        var warned = false
    }

    private let state = Mutex(State())
    private let logger: Logger
    private let endpoint: String

    package init(logger: Logger, endpoint: String) {
        self.logger = logger
        self.endpoint = endpoint
    }

    /// Counts from now on in `metrics` (and what was dropped before).
    func attach(_ metrics: ServerMetrics) {
        let pending = state.withLock { state in
            state.metrics = metrics
            defer { state.pending = [:] }
            return state.pending
        }
        for (reason, count) in pending { metrics.spansDropped(count, reason: reason) }
    }

    /// One message from swift-otel's diagnostic logger (at warning and above unless
    /// `OTEL_LOG_LEVEL` says otherwise), with its logger's and its own metadata.
    func note(level: Logger.Level, message: String, metadata: Logger.Metadata, error: (any Error)?) {
        if message.hasPrefix("Failed to export batch") {
            dropped(Int(metadata["batch_size"]?.description ?? "") ?? 0, reason: "export_failed", error: error)
        } else if message.hasPrefix("Spans were dropped") {
            dropped(Int(metadata["dropped_count"]?.description ?? "") ?? 0, reason: "queue_full", error: error)
        } else {
            var fields: Logger.Metadata = ["otel.component": metadata["component"] ?? "swift-otel"]
            if let error { fields["otel.error"] = "\(error)" }
            logger.log(level: level, "telemetry: \(message)", metadata: fields)
        }
    }

    private func dropped(_ count: Int, reason: String, error: (any Error)?) {
        let (metrics, first) = state.withLock { state in
            if state.metrics == nil { state.pending[reason, default: 0] += count }
            defer { state.warned = true }
            return (state.metrics, !state.warned)
        }
        metrics?.spansDropped(count, reason: reason)
        let fields: Logger.Metadata = ["otel.endpoint": "\(endpoint)", "otel.dropped": "\(count)", "otel.reason": "\(reason)",
                                       "otel.error": "\(error.map { "\($0)" } ?? "none")"]
        if first {
            logger.warning("telemetry: spans could not be delivered to the OTLP collector and were dropped; requests are unaffected. Counted in assay_otel_spans_dropped_total; logged once",
                           metadata: fields)
        } else {
            logger.debug("telemetry: spans dropped", metadata: fields)
        }
    }
}

/// The log handler swift-otel's diagnostic logger writes to: every message goes to `TelemetryDiagnostics`.
package struct TelemetryDiagnosticsHandler: LogHandler {
    let diagnostics: TelemetryDiagnostics
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .warning
    package var metadataProvider: Logger.MetadataProvider?

    package init(diagnostics: TelemetryDiagnostics) {
        self.diagnostics = diagnostics
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        diagnostics.note(level: event.level, message: event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 },
                         error: event.error)
    }
}
