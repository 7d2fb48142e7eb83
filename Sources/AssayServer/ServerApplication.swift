import AssayProviders
import Foundation
import Hummingbird
import Logging

/// `assay serve`'s HTTP application: the OpenAI-compatible proxy, `/v1/route`, `/v1/models`
/// and `/healthz`, over a catalog snapshot that `CatalogWatcher` keeps current.
public func buildServerApplication(holder: RouterHolder, providers: [String: any ModelProvider], host: String, port: Int,
                                   logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
    let handlers = ProxyHandlers(holder: holder, providers: providers, logger: logger)
    let router = Router()
    router.get("/healthz") { _, _ in "ok\n" }
    router.get("/v1/models") { _, _ in handlers.models() }
    router.post("/v1/chat/completions") { request, _ in await handlers.chatCompletions(request) }
    router.post("/v1/messages") { request, _ in await handlers.messages(request) }
    router.post("/v1/route") { request, _ in await handlers.route(request) }
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "assay"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
