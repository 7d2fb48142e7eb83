import AssayCore
import Foundation

/// The OpenAI chat-completions wire format (the subset Assay sends and reads). The simulator
/// serves the same types, so agreeing with it proves nothing about the real API: golden JSON
/// written from the API reference pins both sides (Tests/AssayProvidersTests/Golden,
/// Tests/AssaySimulatorTests/Documented).
public enum OpenAIWire {
    public struct Request: Codable, Sendable {
        public var model: String
        public var messages: [ChatRequest.Message]
        public var maxTokens: Int?
        public var maxCompletionTokens: Int?
        public var reasoningEffort: String?
        public var temperature: Double?
        /// OpenAI's best-effort determinism seed; Assay sends the epoch so repeats differ.
        public var seed: Int?
        public var stream: Bool?
        public var streamOptions: StreamOptions?
        /// OpenRouter's effort field: `reasoning: {effort}`.
        public var reasoning: Reasoning?
        public var tools: [Tool]?
        public var toolChoice: ToolChoiceField?
        public var stop: StopField?
        /// Read from clients only to be checked (`assay serve` refuses what the API refuses); never sent.
        public var n: Int?
        public var topP: Double?

        public struct Reasoning: Codable, Sendable, Equatable {
            public var effort: String?
            public init(effort: String?) { self.effort = effort }
        }

        public struct StreamOptions: Codable, Sendable {
            public var includeUsage: Bool?
            enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
        }

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, stream, seed, reasoning, tools, stop, toolChoice = "tool_choice"
            case maxTokens = "max_tokens", maxCompletionTokens = "max_completion_tokens"
            case reasoningEffort = "reasoning_effort", streamOptions = "stream_options", n, topP = "top_p"
        }

        public init(model: String, messages: [ChatRequest.Message], maxTokens: Int? = nil, maxCompletionTokens: Int? = nil,
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

    public struct Usage: Codable, Sendable, Hashable {
        public var promptTokens: Int
        public var completionTokens: Int
        public var totalTokens: Int?
        public var promptTokensDetails: PromptDetails?
        public var completionTokensDetails: CompletionDetails?

        public struct PromptDetails: Codable, Sendable, Hashable {
            public var cachedTokens: Int?
            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
            public init(cachedTokens: Int?) { self.cachedTokens = cachedTokens }
        }

        public struct CompletionDetails: Codable, Sendable, Hashable {
            public var reasoningTokens: Int?
            enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
            public init(reasoningTokens: Int?) { self.reasoningTokens = reasoningTokens }
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
            case promptTokensDetails = "prompt_tokens_details", completionTokensDetails = "completion_tokens_details"
        }

        public init(_ usage: AssayCore.Usage) {
            promptTokens = usage.inputTokens
            completionTokens = usage.outputTokens
            totalTokens = AssayCore.Usage.sum(usage.inputTokens, usage.outputTokens)
            promptTokensDetails = PromptDetails(cachedTokens: usage.cachedInputTokens)
            completionTokensDetails = CompletionDetails(reasoningTokens: usage.reasoningTokens)
        }

        /// OpenAI counts cached tokens inside prompt tokens and reasoning inside completion tokens,
        /// which is exactly Assay's neutral convention.
        public var normalised: AssayCore.Usage {
            AssayCore.Usage(inputTokens: promptTokens, cachedInputTokens: promptTokensDetails?.cachedTokens ?? 0,
                            outputTokens: completionTokens,
                            reasoningTokens: completionTokensDetails?.reasoningTokens ?? 0)
        }
    }

    public struct Response: Codable, Sendable {
        public var id: String
        public var object: String
        public var created: Int
        public var model: String
        public var choices: [Choice]
        public var usage: Usage?

        public struct Choice: Codable, Sendable {
            public var index: Int
            public var message: Message
            public var finishReason: String?
            enum CodingKeys: String, CodingKey { case index, message, finishReason = "finish_reason" }
            public init(index: Int, message: Message, finishReason: String?) {
                self.index = index
                self.message = message
                self.finishReason = finishReason
            }
        }

        /// `content` is always written: `null` when the assistant only called tools, as OpenAI sends it.
        public struct Message: Codable, Sendable {
            public var role: String
            public var content: String?
            public var toolCalls: [ToolCall]?
            enum CodingKeys: String, CodingKey { case role, content, toolCalls = "tool_calls" }
            public init(role: String, content: String?, toolCalls: [ToolCall]? = nil) {
                self.role = role
                self.content = content
                self.toolCalls = toolCalls
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(role, forKey: .role)
                if let content { try container.encode(content, forKey: .content) } else { try container.encodeNil(forKey: .content) }
                try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            }
        }

        public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage?) {
            self.id = id
            self.object = "chat.completion"
            self.created = created
            self.model = model
            self.choices = choices
            self.usage = usage
        }
    }

    /// One `data:` event of a streamed completion.
    public struct Chunk: Codable, Sendable {
        public var id: String
        public var object: String
        public var created: Int
        public var model: String
        public var choices: [ChunkChoice]
        public var usage: Usage?

        public struct ChunkChoice: Codable, Sendable {
            public var index: Int
            public var delta: Delta
            public var finishReason: String?
            enum CodingKeys: String, CodingKey { case index, delta, finishReason = "finish_reason" }
            public init(index: Int, delta: Delta, finishReason: String?) {
                self.index = index
                self.delta = delta
                self.finishReason = finishReason
            }
        }

        /// Absent fields are left out, except that `nullContent` writes `content: null` (OpenAI's
        /// first delta of an answer that starts with a tool call).
        public struct Delta: Codable, Sendable {
            public var role: String?
            public var content: String?
            public var toolCalls: [DeltaToolCall]?
            public var nullContent = false
            enum CodingKeys: String, CodingKey { case role, content, toolCalls = "tool_calls" }
            public init(role: String? = nil, content: String? = nil, toolCalls: [DeltaToolCall]? = nil, nullContent: Bool = false) {
                self.role = role
                self.content = content
                self.toolCalls = toolCalls
                self.nullContent = nullContent
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encodeIfPresent(role, forKey: .role)
                if content == nil && nullContent { try container.encodeNil(forKey: .content) } else { try container.encodeIfPresent(content, forKey: .content) }
                try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            }
        }

        public init(id: String, created: Int, model: String, choices: [ChunkChoice], usage: Usage?) {
            self.id = id
            self.object = "chat.completion.chunk"
            self.created = created
            self.model = model
            self.choices = choices
            self.usage = usage
        }
    }

    public struct ModelList: Codable, Sendable {
        public var object: String
        public var data: [Model]

        public struct Model: Codable, Sendable {
            public var id: String
            public var object: String?
            public var created: Int?
            public var ownedBy: String?
            /// OpenRouter's extensions to the list.
            public var contextLength: Int?
            public var pricing: OpenRouterPricing?
            public var supportedParameters: [String]?
            enum CodingKeys: String, CodingKey {
                case id, object, created, pricing, ownedBy = "owned_by", contextLength = "context_length"
                case supportedParameters = "supported_parameters"
            }
            public init(id: String, created: Int, ownedBy: String, contextLength: Int? = nil, pricing: OpenRouterPricing? = nil,
                        supportedParameters: [String]? = nil) {
                self.id = id
                self.object = "model"
                self.created = created
                self.ownedBy = ownedBy
                self.contextLength = contextLength
                self.pricing = pricing
                self.supportedParameters = supportedParameters
            }

            public var listed: ListedModel {
                ListedModel(id: id, created: created.map { Date(timeIntervalSince1970: TimeInterval($0)) }, contextWindow: contextLength,
                            supportedParameters: supportedParameters, price: pricing?.sheet)
            }
        }

        public init(data: [Model]) {
            self.object = "list"
            self.data = data
        }
    }

    /// `{"error": {"message", "type", "code"}}`, OpenAI's error body.
    public struct ErrorBody: Codable, Sendable {
        public var error: Detail
        public struct Detail: Codable, Sendable {
            public var message: String
            public var type: String
            public var code: String?
            /// The request field at fault, when one is.
            public var param: String?
            public init(message: String, type: String, code: String?, param: String? = nil) {
                self.message = message
                self.type = type
                self.code = code
                self.param = param
            }
        }
        public init(message: String, type: String, code: String? = nil, param: String? = nil) {
            self.error = Detail(message: message, type: type, code: code, param: param)
        }
    }
}
