import AssayCore
import Prometheus

/// What `GET /metrics` exposes (Prometheus text format): requests by endpoint and status,
/// routing decisions by model+effort, upstream latency by model, fallbacks, catalog reloads
/// and rejected catalogs. One registry per server, no global metrics system.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
                                             .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
                                             .seconds(30), .seconds(60)]

    func request(endpoint: String, status: Int) {
        registry.makeCounter(descriptor: Self.name("requests", "total", "Requests answered, by endpoint and HTTP status."),
                             labels: [("endpoint", endpoint), ("status", String(status))]).increment()
    }

    func decision(model: String, effort: String, task: String) {
        registry.makeCounter(descriptor: Self.name("route_decisions", "total", "Routing decisions, by chosen model, effort and task."),
                             labels: [("model", model), ("effort", effort), ("task", task)]).increment()
    }

    func upstream(model: String, seconds: Duration, ok: Bool) {
        registry.makeDurationHistogram(descriptor: Self.name("upstream_duration", "seconds", "Upstream call time, by model and outcome."),
                                       labels: [("model", model), ("outcome", ok ? "ok" : "error")],
                                       buckets: Self.latencyBuckets).record(seconds)
    }

    func fallback(from model: String) {
        registry.makeCounter(descriptor: Self.name("fallbacks", "total", "Requests that moved past a failed or open-circuit candidate."),
                             labels: [("from_model", model)]).increment()
    }

    func catalogReload(accepted: Bool) {
        registry.makeCounter(descriptor: Self.name("catalog_reloads", "total", "Catalog files seen changed, by whether they were taken."),
                             labels: [("result", accepted ? "accepted" : "rejected")]).increment()
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
        if let actual {
            registry.makeCounter(descriptor: Self.name("upstream_cost", "nusd_total", "What answered requests cost at today's prices, nano-USD, by model."),
                                 labels: [("model", model)]).increment(by: actual.nanoUSD)
        }
        if let baseline {
            registry.makeCounter(descriptor: Self.name("baseline_cost", "nusd_total", "What the same usage would have cost on the configured baseline model, nano-USD."),
                                 labels: []).increment(by: baseline.nanoUSD)
        }
        if let actual, let baseline {
            registry.makeGauge(descriptor: Self.name("estimated_savings", "nusd", "Baseline cost minus actual cost over requests with both prices, nano-USD."),
                               labels: []).increment(by: Double(baseline.nanoUSD - actual.nanoUSD))
        }
    }

    func clientRejected(reason: String) {
        registry.makeCounter(descriptor: Self.name("client_rejections", "total", "Requests refused before routing: missing or unknown key, or over the key's rate limit."),
                             labels: [("reason", reason)]).increment()
    }
}
