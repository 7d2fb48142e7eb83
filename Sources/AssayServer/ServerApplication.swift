import AssayProviders
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// `assay serve`'s HTTP application: the OpenAI-compatible proxy, `/v1/route`, `/v1/models`
/// `/healthz` and `/metrics`, over a catalog snapshot that the returned watcher keeps current
/// (run both in one service group).
public func buildServerApplication(holder: RouterHolder, providers: [String: any ModelProvider], host: String, port: Int,
                                   settings: ServerSettings = ServerSettings(), logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void)
    -> (application: some ApplicationProtocol, watcher: some Service) {
    let metrics = ServerMetrics()
    settings.telemetry?.diagnostics.attach(metrics)
    let handlers = ProxyHandlers(holder: holder, providers: providers, logger: logger, metrics: metrics, settings: settings)
    let router = Router(context: AssayRequestContext.self)
    router.add(middleware: ErrorShapeMiddleware())
    let refusals = RefusalLog(log: settings.traffic, metrics: metrics)
    router.add(middleware: BrowserGuardMiddleware(guardrail: settings.browserGuard, refusals: refusals))
    /// Counts a request by endpoint and status, refusals included.
    @Sendable func counted(_ endpoint: String, _ answer: () async throws -> Response) async throws -> Response {
        do {
            let response = try await answer()
            metrics.request(endpoint: endpoint, status: Int(response.status.code))
            return response
        } catch let refusal as Refusal {
            metrics.request(endpoint: endpoint, status: Int(refusal.status.code))
            throw refusal
        }
    }
    router.get("/healthz") { _, _ in "ok\n" }
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.text)))
    }
    // Everything under /v1 needs a client key when a keys file is configured; /healthz and /metrics never do.
    let api = router.group("/v1")
    api.add(middleware: LoopAffinityMiddleware(enabled: settings.loopAffinity))
    if let gate = settings.keys { api.add(middleware: ClientKeyMiddleware(gate: gate, metrics: metrics, refusals: refusals)) }
    api.add(middleware: InFlightMiddleware(limit: settings.load.maxInFlight, counter: InFlightCounter(), metrics: metrics,
                                          refusals: refusals))
    api.get("/models") { _, _ in try await counted("models") { handlers.models() } }
    api.post("/chat/completions") { request, context in try await counted("chat_completions") { try await handlers.chatCompletions(request, context: context) } }
    api.post("/messages") { request, context in try await counted("messages") { try await handlers.messages(request, context: context) } }
    api.post("/messages/count_tokens") { request, context in try await counted("count_tokens") { try await handlers.countTokens(request, context: context) } }
    api.post("/route") { request, context in try await counted("route") { try await handlers.route(request, context: context) } }
    let load = settings.load
    let application = Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionWatchHandler(watch: handlers.hangUps, bodyTimeout: load.bodyTimeout.timeAmount)],
                                            idleTimeout: load.idleTimeout.timeAmount)),
        configuration: .init(address: .hostname(host, port: port), serverName: "assay",
                             availableConnectionsDelegate: MaximumAvailableConnections(load.maxConnections)),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
    return (application, CatalogWatcher(holder: holder, keys: settings.keys, logger: logger, metrics: metrics))
}

extension Duration {
    /// The same span as NIO's `TimeAmount`.
    var timeAmount: TimeAmount { .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000) }
}
