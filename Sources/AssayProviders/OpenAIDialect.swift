import AssayCore
import Foundation

/// OpenAI's chat-completions API and the many services that speak it (OpenRouter, DeepSeek,
/// Together, Groq, vLLM, llama.cpp, Assay's simulator).
public enum OpenAIDialect: WireDialect {
    public typealias Stream = OpenAIStreamDecoder

    public static func path(for request: ChatRequest, streaming: Bool) -> String { "/chat/completions" }

    public static func headers(apiKey: String?) -> [(String, String)] {
        apiKey.map { [("authorization", "Bearer \($0)")] } ?? []
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

    public static func listedModels(from bytes: [UInt8]) throws(ProviderError) -> [ListedModel] {
        try ProviderTransport.decode(OpenAIWire.ModelList.self, from: bytes, what: "an OpenAI model list").data.map(\.listed)
    }

    /// The chat-completions body for `request`: effort as `reasoning_effort` or OpenRouter's
    /// `reasoning`, the token limit in the field `settings` names.
    public static func body(for request: ChatRequest, settings: ProviderSettings) throws(ProviderError) -> Data {
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
        return try encoded(wire)
    }
}
