import AssayCore
import AssayProviders
import AsyncHTTPClient
import Foundation
import NIOCore

/// `assay traffic replay`: sends a fixture's requests to a running `assay serve`, a few at a
/// time, and counts how they ended.
package enum TrafficReplay {
    package struct Summary: Sendable, Encodable {
        package var requests: Int
        package var ok: Int
        package var failed: Int
        /// HTTP status → requests (0: no answer at all).
        package var statuses: [String: Int]
        /// Requests per fixture kind.
        package var kinds: [String: Int]
        /// The answering model (the response's `model`) → requests.
        package var models: [String: Int]
        package var seconds: Double
    }

    /// Replays `fixture` against `server` (e.g. `http://127.0.0.1:8080`), `concurrency` at once;
    /// `progress(done, total)` after each answer. The key goes in `Authorization: Bearer` and
    /// `x-api-key`, never into the summary.
    package static func run(_ fixture: TrafficFixture, server: String, key: String?, concurrency: Int,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        guard let base = URL(string: server), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw AssayError(.usage, "--server '\(server)' is not an http(s) URL", hint: "e.g. --server http://127.0.0.1:8080")
        }
        let root = server.hasSuffix("/") ? String(server.dropLast()) : server
        let client = HTTPClientFactory.make(maxConnectionsPerHost: concurrency)
        let started = ContinuousClock.now
        var statuses: [String: Int] = [:]
        var models: [String: Int] = [:]
        var done = 0
        do {
            try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                var next = 0
                func start() {
                    let request = fixture.requests[next]
                    next += 1
                    group.addTask { try await send(request, root: root, key: key, client: client) }
                }
                while next < min(concurrency, fixture.requests.count) { start() }
                for try await (status, model) in group {
                    statuses[String(status), default: 0] += 1
                    if let model { models[model, default: 0] += 1 }
                    done += 1
                    progress(done, fixture.requests.count)
                    if next < fixture.requests.count { start() }
                }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let elapsed = ContinuousClock.now - started
        let ok = statuses["200", default: 0]
        return Summary(requests: fixture.requests.count, ok: ok, failed: fixture.requests.count - ok, statuses: statuses,
                       kinds: Dictionary(grouping: fixture.requests, by: \.kind).mapValues(\.count), models: models,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// One request: its status (0 when the server could not be reached) and the model that answered.
    static func send(_ request: TrafficFixture.Request, root: String, key: String?, client: HTTPClient) async throws -> (Int, String?) {
        var http = HTTPClientRequest(url: root + request.api.path)
        http.method = .POST
        http.headers.add(name: "content-type", value: "application/json")
        if request.api == .anthropic { http.headers.add(name: "anthropic-version", value: "2023-06-01") }
        if let key {
            http.headers.add(name: "authorization", value: "Bearer \(key)")
            http.headers.add(name: "x-api-key", value: key)
        }
        http.body = .bytes(ByteBuffer(string: request.body))
        do {
            let response = try await client.execute(http, timeout: .seconds(600))
            let body = try await response.body.collect(upTo: 64 << 20)
            let model = JSONValue(parsing: String(buffer: body))?.objectValue?["model"]?.stringValue
            return (Int(response.status.code), response.status.code == 200 ? model : nil)
        } catch is CancellationError {
            throw AssayError(.interrupted, "replay interrupted")
        } catch {
            return (0, nil)
        }
    }
}
