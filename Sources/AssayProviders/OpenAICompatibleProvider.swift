import AssayCore
import AsyncHTTPClient
import Foundation
import Logging

/// An adapter for OpenAI's chat-completions API and the many services that speak it
/// (OpenRouter, DeepSeek, Together, Groq, vLLM, llama.cpp, Assay's simulator).
public struct OpenAICompatibleProvider: HTTPModelProvider {
    public let transport: ProviderTransport
    public let environment: [String: String]

    public init(transport: ProviderTransport, environment: [String: String]) {
        self.transport = transport
        self.environment = environment
    }

    func headers() throws(ProviderError) -> [(String, String)] {
        guard let key = try settings.apiKey(environment: environment) else { return [] }
        return [("authorization", "Bearer \(key)")]
    }

    public func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        if request.stream { return try await completeStreaming(request) }
        let body = try encode(request)
        let headers = try headers()
        let started = ContinuousClock.now
        return try await transport.retrying(estimatedTokens: request.estimatedTokens) { attempt throws(ProviderError) in
            let bytes = try await transport.exchange(path: "/chat/completions", method: .POST, body: body, headers: headers)
            return try Self.answer(from: bytes, latencyMs: ProviderTransport.milliseconds(since: started), attempts: attempt)
        }
    }

    /// A chat completion's body as a neutral answer (parse + normalise, no I/O).
    public static func answer(from bytes: [UInt8], latencyMs: Int, attempts: Int) throws(ProviderError) -> ChatResponse {
        let wire = try ProviderTransport.decode(OpenAIWire.Response.self, from: bytes, what: "a chat completion")
        guard let choice = wire.choices.first else {
            throw ProviderError(.malformedResponse, "the response has no choices")
        }
        return ChatResponse(text: choice.message.content ?? "", usage: wire.usage?.normalised ?? .zero,
                            finishReason: choice.finishReason, model: wire.model, latencyMs: latencyMs, attempts: attempts,
                            toolCalls: (choice.message.toolCalls ?? []).map(\.neutral))
    }

    public func listModels() async throws(ProviderError) -> [String] { try await listedModels().map(\.id) }

    public func listedModels() async throws(ProviderError) -> [ListedModel] {
        let bytes = try await transport.exchange(path: "/models", method: .GET, body: nil, headers: try headers())
        return try ProviderTransport.decode(OpenAIWire.ModelList.self, from: bytes, what: "an OpenAI model list").data.map(\.listed)
    }

    /// The chat-completions body for `request` (no I/O).
    func encode(_ request: ChatRequest) throws(ProviderError) -> Data {
        var wire = OpenAIWire.Request(model: request.model, messages: request.messages, temperature: request.temperature,
                                      seed: request.seed, stream: request.stream ? true : nil)
        switch try settings.effortParameter(for: request) {
        case .reasoningEffort: wire.reasoningEffort = request.effort?.rawValue
        case .openRouterReasoning: wire.reasoning = request.effort.map { .init(effort: $0.rawValue) }
        default: break
        }
        if request.stream { wire.streamOptions = .init(includeUsage: true) }
        if !request.tools.isEmpty { wire.tools = request.tools.map(OpenAIWire.Tool.init) }
        wire.toolChoice = request.toolChoice.map(OpenAIWire.ToolChoiceField.init)
        if !request.stop.isEmpty { wire.stop = .init(request.stop) }
        if settings.maxTokensField == "max_completion_tokens" {
            wire.maxCompletionTokens = request.maxTokens
        } else {
            wire.maxTokens = request.maxTokens
        }
        do { return try JSONEncoder().encode(wire) } catch {
            throw ProviderError(.badRequest, "cannot encode the request: \(error)")
        }
    }
}
