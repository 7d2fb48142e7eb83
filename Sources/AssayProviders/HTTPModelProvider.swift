import AsyncHTTPClient
import Foundation
import Logging

/// A model provider reached over HTTP in the wire format `Dialect` speaks: the one request
/// path (plain, streamed, model list) every adapter shares.
public struct HTTPModelProvider<Dialect: WireDialect>: ModelProvider {
    public let transport: ProviderTransport
    public let environment: [String: String]

    public init(transport: ProviderTransport, environment: [String: String]) {
        self.transport = transport
        self.environment = environment
    }

    public init(settings: ProviderSettings, client: HTTPClient, logger: Logger,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(transport: ProviderTransport(settings: settings, client: client, logger: logger), environment: environment)
    }

    public var settings: ProviderSettings { transport.settings }
    public var name: String { transport.settings.name }

    func headers() throws(ProviderError) -> [(String, String)] {
        Dialect.headers(apiKey: try settings.apiKey(environment: environment))
    }

    /// The body `Dialect` sends for `request` with this provider's settings (no I/O).
    func encode(_ request: ChatRequest) throws(ProviderError) -> Data {
        try Dialect.body(for: request, settings: settings)
    }

    public func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        if request.stream { return try await streamed(request, onDelta: nil) }
        let body = try encode(request)
        let headers = try headers()
        let path = Dialect.path(for: request, streaming: false)
        let started = ContinuousClock.now
        return try await transport.retrying(estimatedTokens: request.estimatedTokens) { attempt throws(ProviderError) in
            let bytes = try await transport.exchange(path: path, method: .POST, body: body, headers: headers)
            var answer = Dialect.completed(try Dialect.answer(from: bytes, latencyMs: ProviderTransport.milliseconds(since: started), attempts: attempt),
                                           for: request)
            answer.upstreamBody = UpstreamBody(format: Dialect.upstreamFormat, bytes: bytes)
            return answer
        }
    }

    public func streamAnswer(_ request: ChatRequest, onDelta: @escaping @Sendable (ChatDelta) async -> Void) async throws(ProviderError) -> ChatResponse {
        var streamed = request
        streamed.stream = true
        return try await self.streamed(streamed, onDelta: onDelta)
    }

    /// A streamed answer, decoded by `Dialect.Stream`.
    func streamed(_ request: ChatRequest, onDelta: (@Sendable (ChatDelta) async -> Void)?) async throws(ProviderError) -> ChatResponse {
        let answer = try await transport.streamCompletion(Dialect.Stream.self, path: Dialect.path(for: request, streaming: true),
                                                          body: try encode(request), headers: try headers(),
                                                          estimatedTokens: request.estimatedTokens, onDelta: onDelta)
        return Dialect.completed(answer, for: request)
    }

    public func listModels() async throws(ProviderError) -> [String] { try await listedModels().map(\.id) }

    public func listedModels() async throws(ProviderError) -> [ListedModel] {
        let bytes = try await transport.exchange(path: "/models", method: .GET, body: nil, headers: try headers())
        return try Dialect.listedModels(from: bytes)
    }
}

/// OpenAI's chat-completions API and the many services that speak it.
public typealias OpenAICompatibleProvider = HTTPModelProvider<OpenAIDialect>
/// Anthropic's Messages API.
package typealias AnthropicProvider = HTTPModelProvider<AnthropicDialect>
/// Google Gemini's `generateContent`.
package typealias GeminiProvider = HTTPModelProvider<GeminiDialect>
