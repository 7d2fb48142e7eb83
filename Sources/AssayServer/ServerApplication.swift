import AssayProviders
import Foundation
import Hummingbird
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
    let handlers = ProxyHandlers(holder: holder, providers: providers, logger: logger, metrics: metrics, settings: settings)
    let router = Router()
    router.add(middleware: ErrorShapeMiddleware())
    @Sendable func counted(_ endpoint: String, _ response: Response) -> Response {
        metrics.request(endpoint: endpoint, status: Int(response.status.code))
        return response
    }
    router.get("/healthz") { _, _ in "ok\n" }
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.text)))
    }
    // Everything under /v1 needs a client key when a keys file is configured; /healthz and /metrics never do.
    let api = router.group("/v1")
    if let gate = settings.keys { api.add(middleware: ClientKeyMiddleware(gate: gate, metrics: metrics)) }
    api.get("/models") { _, _ in counted("models", handlers.models()) }
    api.post("/chat/completions") { request, _ in counted("chat_completions", await handlers.chatCompletions(request)) }
    api.post("/messages") { request, _ in counted("messages", await handlers.messages(request)) }
    api.post("/route") { request, _ in counted("route", await handlers.route(request)) }
    let application = Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "assay"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
    return (application, CatalogWatcher(holder: holder, keys: settings.keys, logger: logger, metrics: metrics))
}
