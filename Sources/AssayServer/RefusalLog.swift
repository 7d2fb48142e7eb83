import AssayTraffic
import Foundation
import HTTPTypes

/// Records in the traffic log the requests a middleware refuses before any handler runs (the
/// browser guard, a missing or unknown client key, a key's rate limit, the in-flight limit), so
/// the log and `assay report` count every request to the two ingress endpoints, not only those
/// a handler saw. Nothing of the body is read: the requested model is left empty.
struct RefusalLog: Sendable {
    let log: TrafficLog?
    let metrics: ServerMetrics

    /// The traffic log's endpoint name for an ingress path, or nil for paths it does not record.
    static func endpoint(path: String) -> String? {
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/v1/chat/completions": "chat_completions"
        case "/v1/messages": "messages"
        default: nil
        }
    }

    /// Records `refusal` of a request to `path` by `client` (a key's name, never the key).
    func record(_ refusal: Refusal, method: HTTPRequest.Method, path: String, client: String?) {
        guard let log, method == .post, let endpoint = Self.endpoint(path: path) else { return }
        let entry = TrafficEntry(at: Date(), client: client, endpoint: endpoint, requestedModel: "", stream: false,
                                 status: Int(refusal.status.code), error: refusal.code ?? refusal.type, latencyMs: 0)
        if !log.record(entry) { metrics.trafficDropped() }
    }
}
