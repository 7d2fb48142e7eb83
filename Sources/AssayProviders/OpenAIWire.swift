import AssayCore
import Foundation

/// The OpenAI chat-completions wire format (the subset Assay sends and reads). The simulator
/// serves the same types, so agreeing with it proves nothing about the real API: golden JSON
/// written from the API reference pins both sides (Tests/AssayProvidersTests/Golden,
/// Tests/AssaySimulatorTests/Documented).
package enum OpenAIWire {
    package struct Request: Codable, Sendable {
        package var model: String
        package var messages: [ChatRequest.Message]
        package var maxTokens: Int?
        package var maxCompletionTokens: Int?
        package var reasoningEffort: String?
        package var temperature: Double?
        /// OpenAI's best-effort determinism seed; Assay sends the epoch so repeats differ.
        package var seed: Int?
        package var stream: Bool?
        package var streamOptions: StreamOptions?
        /// OpenRouter's effort field: `reasoning: {effort}`.
        package var reasoning: Reasoning?
        package var tools: [Tool]?
        package var toolChoice: ToolChoiceField?
        package var stop: StopField?
        /// Read from clients only to be checked (`assay serve` refuses what the API refuses); never sent.
        package var n: Int?
        package var topP: Double?

        package struct Reasoning: Codable, Sendable, Equatable {
            package var effort: String?
            package init(effort: String?) { self.effort = effort }
        }

        package struct StreamOptions: Codable, Sendable {
            package var includeUsage: Bool?
            enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
        }

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, stream, seed, reasoning, tools, stop, toolChoice = "tool_choice"
            case maxTokens = "max_tokens", maxCompletionTokens = "max_completion_tokens"
            case reasoningEffort = "reasoning_effort", streamOptions = "stream_options", n, topP = "top_p"
        }

        package init(model: String, messages: [ChatRequest.Message], maxTokens: Int? = nil, maxCompletionTokens: Int? = nil,
                    reasoningEffort: String? = nil, temperature: Double? = nil, seed: Int? = nil, stream: Bool? = nil) {
            self.model = model
            self.messages = messages
            self.maxTokens = maxTokens
            self.maxCompletionTokens = maxCompletionTokens
            self.reasoningEffort = reasoningEffort
            self.temperature = temperature
            self.seed = seed
            self.stream = stream
        }
    }

    package struct Usage: Codable, Sendable, Hashable {
        package var promptTokens: Int
        package var completionTokens: Int
        package var totalTokens: Int?
        package var promptTokensDetails: PromptDetails?
        package var completionTokensDetails: CompletionDetails?

        package struct PromptDetails: Codable, Sendable, Hashable {
            package var cachedTokens: Int?
            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
            package init(cachedTokens: Int?) { self.cachedTokens = cachedTokens }
        }

        package struct CompletionDetails: Codable, Sendable, Hashable {
            package var reasoningTokens: Int?
            enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
            package init(reasoningTokens: Int?) { self.reasoningTokens = reasoningTokens }
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
            case promptTokensDetails = "prompt_tokens_details", completionTokensDetails = "completion_tokens_details"
        }

        package init(_ usage: AssayCore.Usage) {
            promptTokens = usage.inputTokens
            completionTokens = usage.outputTokens
            totalTokens = AssayCore.Usage.sum(usage.inputTokens, usage.outputTokens)
            promptTokensDetails = PromptDetails(cachedTokens: usage.cachedInputTokens)
            completionTokensDetails = CompletionDetails(reasoningTokens: usage.reasoningTokens)
        }

        /// OpenAI counts cached tokens inside prompt tokens and reasoning inside completion tokens,
        /// which is exactly Assay's neutral convention.
        package var normalised: AssayCore.Usage {
            AssayCore.Usage(inputTokens: promptTokens, cachedInputTokens: promptTokensDetails?.cachedTokens ?? 0,
                            outputTokens: completionTokens,
                            reasoningTokens: completionTokensDetails?.reasoningTokens ?? 0)
        }
    }

    package struct Response: Codable, Sendable {
        package var id: String
        package var object: String
        package var created: Int
        package var model: String
        package var choices: [Choice]
        package var usage: Usage?

        package struct Choice: Codable, Sendable {
            package var index: Int
            package var message: Message
            package var finishReason: String?
            enum CodingKeys: String, CodingKey { case index, message, finishReason = "finish_reason" }
            package init(index: Int, message: Message, finishReason: String?) {
                self.index = index
                self.message = message
                self.finishReason = finishReason
            }
        }

        /// `content` is always written: `null` when the assistant only called tools, as OpenAI sends it.
        package struct Message: Codable, Sendable {
            package var role: String
            package var content: String?
            package var toolCalls: [ToolCall]?
            enum CodingKeys: String, CodingKey { case role, content, toolCalls = "tool_calls" }
            package init(role: String, content: String?, toolCalls: [ToolCall]? = nil) {
                self.role = role
                self.content = content
                self.toolCalls = toolCalls
            }

            package func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(role, forKey: .role)
                if let content { try container.encode(content, forKey: .content) } else { try container.encodeNil(forKey: .content) }
                try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            }
        }

        package init(id: String, created: Int, model: String, choices: [Choice], usage: Usage?) {
            self.id = id
            self.object = "chat.completion"
            self.created = created
            self.model = model
            self.choices = choices
            self.usage = usage
        }
    }

    /// One `data:` event of a streamed completion.
    package struct Chunk: Codable, Sendable {
        package var id: String
        package var object: String
        package var created: Int
        package var model: String
        package var choices: [ChunkChoice]
        package var usage: Usage?

        package struct ChunkChoice: Codable, Sendable {
            package var index: Int
            package var delta: Delta
            package var finishReason: String?
            enum CodingKeys: String, CodingKey { case index, delta, finishReason = "finish_reason" }
            package init(index: Int, delta: Delta, finishReason: String?) {
                self.index = index
                self.delta = delta
                self.finishReason = finishReason
            }
        }

        /// Absent fields are left out, except that `nullContent` writes `content: null` (OpenAI's
        /// first delta of an answer that starts with a tool call).
        package struct Delta: Codable, Sendable {
            package var role: String?
            package var content: String?
            package var toolCalls: [DeltaToolCall]?
            package var nullContent = false
            enum CodingKeys: String, CodingKey { case role, content, toolCalls = "tool_calls" }
            package init(role: String? = nil, content: String? = nil, toolCalls: [DeltaToolCall]? = nil, nullContent: Bool = false) {
                self.role = role
                self.content = content
                self.toolCalls = toolCalls
                self.nullContent = nullContent
            }

            package func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encodeIfPresent(role, forKey: .role)
                if content == nil && nullContent { try container.encodeNil(forKey: .content) } else { try container.encodeIfPresent(content, forKey: .content) }
                try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            }
        }

        package init(id: String, created: Int, model: String, choices: [ChunkChoice], usage: Usage?) {
            self.id = id
            self.object = "chat.completion.chunk"
            self.created = created
            self.model = model
            self.choices = choices
            self.usage = usage
        }
    }

    package struct ModelList: Codable, Sendable {
        package var object: String
        package var data: [Model]

        package struct Model: Codable, Sendable {
            package var id: String
            package var object: String?
            package var created: Int?
            package var ownedBy: String?
            /// OpenRouter's extensions to the list.
            package var contextLength: Int?
            package var pricing: OpenRouterPricing?
            package var supportedParameters: [String]?
            enum CodingKeys: String, CodingKey {
                case id, object, created, pricing, ownedBy = "owned_by", contextLength = "context_length"
                case supportedParameters = "supported_parameters"
            }
            package init(id: String, created: Int, ownedBy: String, contextLength: Int? = nil, pricing: OpenRouterPricing? = nil,
                        supportedParameters: [String]? = nil) {
                self.id = id
                self.object = "model"
                self.created = created
                self.ownedBy = ownedBy
                self.contextLength = contextLength
                self.pricing = pricing
                self.supportedParameters = supportedParameters
            }

            package var listed: ListedModel {
                ListedModel(id: id, created: created.map { Date(timeIntervalSince1970: TimeInterval($0)) }, contextWindow: contextLength,
                            supportedParameters: supportedParameters, price: pricing?.sheet)
            }
        }

        package init(data: [Model]) {
            self.object = "list"
            self.data = data
        }
    }

    /// `{"error": {"message", "type", "code"}}`, OpenAI's error body.
    package struct ErrorBody: Codable, Sendable {
        package var error: Detail
        package struct Detail: Codable, Sendable {
            package var message: String
            package var type: String
            package var code: String?
            /// The request field at fault, when one is.
            package var param: String?
            package init(message: String, type: String, code: String?, param: String? = nil) {
                self.message = message
                self.type = type
                self.code = code
                self.param = param
            }
        }
        package init(message: String, type: String, code: String? = nil, param: String? = nil) {
            self.error = Detail(message: message, type: type, code: code, param: param)
        }
    }
}
