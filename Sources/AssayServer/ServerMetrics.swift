import AssayCore
import Prometheus
import Synchronization

/// What `GET /metrics` exposes (Prometheus text format): requests by endpoint and status,
/// routing decisions by model+effort, upstream latency by model, fallbacks, catalog reloads
/// and rejected catalogs. One registry per server, no global metrics system.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Metric handles by name and labels, one table per kind: the registry validates names and
    /// help text on every `make…` call, which costs more than the increment itself on the
    /// request path.
    private let counters = HandleCache<Counter>(), histograms = HandleCache<DurationHistogram>(), gauges = HandleCache<Gauge>()

    func counter(_ metric: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Counter {
        counters.handle(metric, labels) { registry.makeCounter(descriptor: Self.name(metric, unit, help), labels: labels) }
    }

    func histogram(_ metric: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> DurationHistogram {
        histograms.handle(metric, labels) {
            registry.makeDurationHistogram(descriptor: Self.name(metric, unit, help), labels: labels, buckets: Self.latencyBuckets)
        }
    }

    func gauge(_ metric: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        gauges.handle(metric, labels) { registry.makeGauge(descriptor: Self.name(metric, unit, help), labels: labels) }
    }

    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
                                             .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
                                             .seconds(30), .seconds(60)]

    func request(endpoint: String, status: Int) {
        counter("requests", "total", "Requests answered, by endpoint and HTTP status.", [("endpoint", endpoint), ("status", String(status))]).increment()
    }

    func decision(model: String, effort: String, task: String) {
        counter("route_decisions", "total", "Routing decisions, by chosen model, effort and task.", [("model", model), ("effort", effort), ("task", task)]).increment()
    }

    /// A request under the cascade objective: which answer went back (`worker` or `advisor`), by task.
    func cascade(task: String, path: String) {
        counter("cascade_requests", "total", "Requests answered by a cascade, by task and path (worker or advisor).", [("task", task), ("path", path)]).increment()
    }

    func upstream(model: String, seconds: Duration, ok: Bool) {
        histogram("upstream_duration", "seconds", "Upstream call time, by model and outcome.", [("model", model), ("outcome", ok ? "ok" : "error")]).record(seconds)
    }

    func fallback(from model: String) {
        counter("fallbacks", "total", "Requests that moved past a failed or open-circuit candidate.", [("from_model", model)]).increment()
    }

    func catalogReload(accepted: Bool) {
        counter("catalog_reloads", "total", "Catalog files seen changed, by whether they were taken.", [("result", accepted ? "accepted" : "rejected")]).increment()
    }

    var text: String { registry.emitToString() }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "assay", metricName: metric, unitName: unit, helpText: help)
    }
}

extension ServerMetrics {
    /// What an answered request cost at its model's price, and what the same usage would have
    /// cost at the baseline model's: their difference is the estimated savings.
    func cost(model: String, actual: Money?, baseline: Money?) {
        // Counters only go up (swift-prometheus traps on a negative increment): a cost below zero
        // cannot come from a clamped usage, but is refused here too, as the last line.
        let actual = actual.map { Money(nanoUSD: max(0, $0.nanoUSD)) }, baseline = baseline.map { Money(nanoUSD: max(0, $0.nanoUSD)) }
        if let actual {
            counter("upstream_cost", "nusd_total", "What answered requests cost at today's prices, nano-USD, by model.", [("model", model)]).increment(by: actual.nanoUSD)
        }
        self.baseline(baseline, against: actual)
    }

    /// What a request's answer would have cost on the baseline model, against what it cost
    /// (a cascade's: every call it made, whose own costs `cost` counted without a baseline).
    func baseline(_ baseline: Money?, against actual: Money?) {
        let actual = actual.map { Money(nanoUSD: max(0, $0.nanoUSD)) }, baseline = baseline.map { Money(nanoUSD: max(0, $0.nanoUSD)) }
        if let baseline {
            counter("baseline_cost", "nusd_total", "What the same usage would have cost on the configured baseline model, nano-USD.", []).increment(by: baseline.nanoUSD)
        }
        if let actual, let baseline {
            gauge("estimated_savings", "nusd", "Baseline cost minus actual cost over requests with both prices, nano-USD.", [])
                .increment(by: (baseline - actual).dollars * Double(Money.nanosPerDollar))
        }
    }

    func usageAnomaly(model: String) {
        counter("upstream_usage_anomalies", "total", "Answers whose usage was impossible (negative or absurd counts) and was clamped, by model.", [("model", model)]).increment()
    }

    func trafficDropped() {
        counter("traffic_dropped", "total", "Requests not written to the traffic log because its queue was full.", []).increment()
    }

    func spansDropped(_ count: Int, reason: String) {
        counter("otel_spans_dropped", "total", "Spans not delivered to the OTLP collector: export_failed (unreachable or refused) or queue_full.",
                [("reason", reason)]).increment(by: Int64(max(0, count)))
    }
    func clientRejected(reason: String) {
        counter("client_rejections", "total", "Requests refused before routing: missing or unknown key, or over the key's rate limit.", [("reason", reason)]).increment()
    }
}

/// One kind of metric handle by metric name and label values (a metric's label names are
/// fixed by its call site, so the values alone tell its series apart).
final class HandleCache<Handle: Sendable>: Sendable {
    private let table = Mutex<[String: Handle]>([:])

    func handle(_ metric: String, _ labels: [(String, String)], make: () -> Handle) -> Handle {
        var key = metric
        for (_, value) in labels {
            key.append("\u{1}")
            key.append(value)
        }
        if let handle = table.withLock({ $0[key] }) { return handle }
        let made = make()
        table.withLock { $0[key] = made }
        return made
    }
}
