import Hummingbird
import HTTPTypes
import Synchronization

/// How much of the server one client, or all of them, can hold: connections, requests being
/// answered, and how long a request may take to arrive. Past `maxConnections` new connections
/// wait in the listen backlog; past `maxInFlight` requests are refused with 503 and `retry-after`.
/// A connection that sends nothing for `idleTimeout` is closed (this also bounds a request head
/// sent a byte at a time: it yields nothing until complete); a body must arrive whole within
/// `bodyTimeout` of its head, else the connection is closed (`ConnectionWatchHandler`).
public struct LoadLimits: Sendable {
    public var maxConnections: Int
    public var maxInFlight: Int
    public var idleTimeout: Duration
    public var bodyTimeout: Duration

    public init(maxConnections: Int = 1_024, maxInFlight: Int = 256, idleTimeout: Duration = .seconds(60),
                bodyTimeout: Duration = .seconds(30)) {
        self.maxConnections = maxConnections
        self.maxInFlight = maxInFlight
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
    }
}

/// Counts `/v1` requests being answered and refuses the one past the limit (503, the client's
/// error shape, `retry-after: 1`) instead of queueing work the server cannot do.
struct InFlightMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let counter: InFlightCounter
    let metrics: ServerMetrics
    let refusals: RefusalLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard counter.enter(limit: limit) else {
            metrics.clientRejected(reason: "overloaded")
            let refusal = Refusal(503, "server_error", "the server is answering its limit of \(limit) requests at once (serve.max_in_flight); retry shortly",
                                  code: "overloaded", retryAfter: 1)
            refusals.record(refusal, method: request.method, path: request.uri.path, client: request.headers[ProxyHandlers.clientHeader])
            throw refusal
        }
        // A streamed body is still being written when `next` returns: the slot is freed when the
        // handler has its answer (streams hold an upstream slot of their own, bounded by the deadline).
        defer { counter.leave() }
        return try await next(request, context)
    }
}

final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)

    func enter(limit: Int) -> Bool {
        let now = count.add(1, ordering: .relaxed).newValue
        if now <= limit { return true }
        count.subtract(1, ordering: .relaxed)
        return false
    }

    func leave() { count.subtract(1, ordering: .relaxed) }

    var current: Int { count.load(ordering: .relaxed) }
}
