import AssayCore
import Foundation

/// Google Gemini's `generateContent`.
///
/// Usage: `promptTokenCount` already includes cached tokens (`cachedContentTokenCount`), and
/// thoughts are counted apart from the answer (`thoughtsTokenCount`) but billed as output, so
/// Assay's output is candidates + thoughts with the thoughts as reasoning.
public enum GeminiDialect: WireDialect {
    public typealias Stream = GeminiStreamDecoder

    public static func path(for request: ChatRequest, streaming: Bool) -> String {
        streaming ? "/models/\(request.model):streamGenerateContent?alt=sse" : "/models/\(request.model):generateContent"
    }

    public static func headers(apiKey: String?) -> [(String, String)] {
        apiKey.map { [("x-goog-api-key", $0)] } ?? []
    }

    public static func body(for request: ChatRequest, settings: ProviderSettings) throws(ProviderError) -> Data {
        try encode(request, parameter: settings.effortParameter(for: request))
    }

    /// `modelVersion` is optional in Gemini's answers: the requested model stands in for it.
    public static func completed(_ answer: ChatResponse, for request: ChatRequest) -> ChatResponse {
        var answer = answer
        answer.model = answer.model ?? request.model
        return answer
    }

    /// A generateContent body as a neutral answer (parse + normalise, no I/O).
    public static func answer(from bytes: [UInt8], latencyMs: Int, attempts: Int) throws(ProviderError) -> ChatResponse {
        let wire = try ProviderTransport.decode(GeminiWire.Response.self, from: bytes, what: "a Gemini generateContent response")
        guard let candidate = wire.candidates?.first else {
            throw ProviderError(.malformedResponse, "the response has no candidates (blocked or empty)")
        }
        let parts = candidate.content?.parts ?? []
        let text = parts.filter { $0.thought != true }.compactMap(\.text).joined()
        return ChatResponse(text: text, usage: wire.usageMetadata.map(normalise) ?? .zero, finishReason: candidate.finishReason,
                            model: wire.modelVersion, latencyMs: latencyMs, attempts: attempts,
                            toolCalls: toolCalls(in: parts, from: 0, responseID: wire.responseId))
    }

    public static func listedModels(from bytes: [UInt8]) throws(ProviderError) -> [ListedModel] {
        let list = try ProviderTransport.decode(GeminiWire.ModelList.self, from: bytes, what: "a Gemini model list")
        return list.models.map {
            ListedModel(id: $0.name.hasPrefix("models/") ? String($0.name.dropFirst(7)) : $0.name, contextWindow: $0.inputTokenLimit)
        }
    }

    /// The function calls among `parts` as neutral calls with their thought signatures. A call
    /// without an id gets `call_<hex>`: a hash of the response id, signature, call and its index
    /// (counting from `first`), so ids differ from turn to turn of a conversation, and a streamed
    /// answer gets the same ids as a plain one.
    static func toolCalls(in parts: [GeminiWire.Part], from first: Int, responseID: String?) -> [ToolCall] {
        parts.compactMap { part in part.functionCall.map { ($0, part.thoughtSignature) } }.enumerated().map { index, pair in
            let (call, signature) = pair
            let arguments = (call.args ?? .object([:])).jsonText
            let id = call.id ?? "call_" + String(StableHash.hash([responseID ?? "", signature ?? "", call.name, arguments, String(first + index)])
                                                  % 1_000_000_000_000, radix: 16)
            return ToolCall(id: id, name: call.name, arguments: arguments, thoughtSignature: signature)
        }
    }

    /// The generateContent request: effort as `thinkingBudget` or `thinkingLevel`, never both;
    /// tools as `functionDeclarations`, stop sequences in `generationConfig`.
    static func encode(_ request: ChatRequest, parameter: EffortParameter = .geminiThinkingBudget) throws(ProviderError) -> Data {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let wire = GeminiWire.Request(
            contents: GeminiWire.contents(request.messages.filter { $0.role != .system }),
            systemInstruction: system.isEmpty ? nil : .init(role: nil, parts: [.init(text: system)]),
            generationConfig: .init(maxOutputTokens: request.maxTokens, temperature: request.temperature, seed: request.seed,
                                    thinkingConfig: request.effort.flatMap { thinkingConfig($0, parameter: parameter) },
                                    stopSequences: request.stop.isEmpty ? nil : request.stop),
            tools: request.tools.isEmpty ? nil : [.init(functionDeclarations: request.tools.map(GeminiWire.FunctionDeclaration.init))],
            toolConfig: request.toolChoice.map(GeminiWire.ToolConfig.init))
        return try encoded(wire)
    }

    static func thinkingConfig(_ effort: Effort, parameter: EffortParameter) -> GeminiWire.ThinkingConfig? {
        switch parameter {
        case .geminiThinkingBudget: .init(thinkingBudget: EffortMapping.geminiThinkingBudget(effort))
        case .geminiThinkingLevel: .init(thinkingLevel: effort.rawValue)
        default: nil
        }
    }

    static func normalise(_ usage: GeminiWire.UsageMetadata) -> Usage {
        let thoughts = usage.thoughtsTokenCount ?? 0
        return Usage(inputTokens: usage.promptTokenCount, cachedInputTokens: usage.cachedContentTokenCount ?? 0,
                     outputTokens: Usage.sum(usage.candidatesTokenCount ?? 0, thoughts), reasoningTokens: thoughts)
    }
}
