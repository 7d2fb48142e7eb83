import AssayCore
import AssayProviders
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// How to run the simulated provider.
public struct SimulatorConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// When set, every request takes exactly this long (benchmarks); else the zoo's latency model.
    public var fixedLatencyMs: Double?
    /// When set, requests must carry `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// Faults to inject (429s, server errors, slow answers, malformed JSON, cut streams).
    public var faults: [FaultRule]
    /// When set, a streamed answer's events after the first come this many ms apart (a slow
    /// stream, to measure time to first byte); else the latency model spreads them.
    public var chunkDelayMs: Double?

    public init(host: String = "127.0.0.1", port: Int = 8089, fixedLatencyMs: Double? = nil, apiKey: String? = nil,
                faults: [FaultRule] = [], chunkDelayMs: Double? = nil) {
        self.chunkDelayMs = chunkDelayMs
        self.host = host
        self.port = port
        self.fixedLatencyMs = fixedLatencyMs
        self.apiKey = apiKey
        self.faults = faults
    }
}

/// Builds the simulator's HTTP application: OpenAI chat completions (plain and SSE), Anthropic
/// Messages, Gemini generateContent, the model list, and an HTML pricing page. The CLI and the tests both start it through here.
package func buildSimulatorApplication(
    engine: SimulatorEngine, configuration: SimulatorConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    let injector = FaultInjector(rules: configuration.faults)
    let handlers = SimulatorHandlers(engine: engine, configuration: configuration, faults: injector)
    router.get("/healthz") { _, _ in "ok\n" }
    let anthropic = AnthropicHandlers(engine: engine, configuration: configuration, faults: injector)
    router.get("/v1/models") { request, _ in
        // Anthropic's SDKs send anthropic-version; answer them in Anthropic's shape.
        if request.headers[HTTPField.Name("anthropic-version")!] != nil {
            return anthropic.authorize(request) ?? anthropic.models()
        }
        return try handlers.models(request)
    }
    router.post("/v1/chat/completions") { request, _ in try await handlers.chatCompletions(request) }
    router.post("/v1/messages") { request, _ in try await anthropic.messages(request) }
    let gemini = GeminiHandlers(engine: engine, configuration: configuration, faults: injector)
    router.get("/v1beta/models") { request, _ in gemini.models(request) }
    router.post("/v1beta/models/:call") { request, context in
        try await gemini.generateContent(request, call: context.parameters.get("call") ?? "")
    }
    let pricing = PricingResponder(zoo: engine.zoo)
    router.get("/pricing") { request, _ in pricing.respond(request) }
    router.get("/pricing/old") { request, _ in pricing.redirect(request) }
    router.get("/stats") { _, _ in jsonResponse(ServedStats(byModel: engine.served.byModel)) }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "assay-simulator"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// `GET /stats`: completions answered so far, in all and per model.
struct ServedStats: Encodable {
    var byModel: [String: Int]
    enum CodingKeys: String, CodingKey { case completions, byModel = "by_model" }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(byModel.values.reduce(0, +), forKey: .completions)
        try container.encode(byModel, forKey: .byModel)
    }
}
