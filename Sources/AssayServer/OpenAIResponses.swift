import AssayProviders
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Answers in OpenAI's chat-completion shape.
enum OpenAIResponses {
    static func respond(_ answer: ChatResponse, model: String, headers: HTTPFields) -> Response {
        let id = ResponseID.make("chatcmpl-assay-", hexDigits: 12)
        let calls = answer.toolCalls.isEmpty ? nil : answer.toolCalls.map(OpenAIWire.ToolCall.init)
        let message = OpenAIWire.Response.Message(role: "assistant", content: calls != nil && answer.text.isEmpty ? nil : answer.text,
                                                  toolCalls: calls)
        return json(OpenAIWire.Response(id: id, created: Int(Date().timeIntervalSince1970), model: model,
                                        choices: [.init(index: 0, message: message, finishReason: finish(answer))],
                                        usage: OpenAIWire.Usage(answer.usage)), headers: headers)
    }

    /// The answer's finish reason in OpenAI's words: `tool_calls` when it called tools.
    static func finish(_ answer: ChatResponse) -> String {
        answer.toolCalls.isEmpty ? answer.finishReason.map(normalisedFinish) ?? "stop" : "tool_calls"
    }

    /// Anthropic's and Gemini's stop reasons in OpenAI's words: a refusal or a safety block
    /// (Anthropic `refusal`; Gemini `SAFETY`, `RECITATION`, `PROHIBITED_CONTENT`, `BLOCKLIST`,
    /// `SPII`) is `content_filter`.
    static func normalisedFinish(_ reason: String) -> String {
        switch reason {
        case "end_turn", "STOP", "stop_sequence": "stop"
        case "max_tokens", "MAX_TOKENS", "length", "model_context_window_exceeded": "length"
        case "tool_use": "tool_calls"
        case "refusal", "content_filter", "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII": "content_filter"
        default: reason
        }
    }
}
