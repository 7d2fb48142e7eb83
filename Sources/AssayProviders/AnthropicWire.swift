import AssayCore

/// Anthropic's Messages API wire format (the subset Assay sends and reads).
public enum AnthropicWire {
    public struct Request: Codable, Sendable {
        public var model: String
        public var maxTokens: Int
        public var system: String?
        public var messages: [Message]
        public var thinking: Thinking?
        public var temperature: Double?
        public var stream: Bool?
        /// The effort control of newer models: `output_config: {effort}`.
        public var outputConfig: OutputConfig?
        public var tools: [Tool]?
        public var toolChoice: ToolChoiceField?
        public var stopSequences: [String]?
        /// Read from clients only to be checked (`assay serve` refuses what the API refuses); never sent.
        public var topP: Double?
        public var topK: Int?

        public struct OutputConfig: Codable, Sendable, Equatable {
            public var effort: String?
            public init(effort: String?) { self.effort = effort }
        }

        enum CodingKeys: String, CodingKey {
            case model, system, messages, thinking, temperature, stream, tools, maxTokens = "max_tokens", outputConfig = "output_config"
            case toolChoice = "tool_choice", stopSequences = "stop_sequences", topP = "top_p", topK = "top_k"
        }

        public init(model: String, maxTokens: Int, system: String?, messages: [Message], thinking: Thinking?,
                    temperature: Double? = nil, stream: Bool? = nil) {
            self.model = model
            self.maxTokens = maxTokens
            self.system = system
            self.messages = messages
            self.thinking = thinking
            self.temperature = temperature
            self.stream = stream
        }

        /// `system` may be a string or a list of text blocks (Claude Code sends blocks): read joined.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decode(String.self, forKey: .model)
            maxTokens = try container.decode(Int.self, forKey: .maxTokens)
            if let text = try? container.decodeIfPresent(String.self, forKey: .system) {
                system = text
            } else {
                system = try container.decodeIfPresent([ContentBlock].self, forKey: .system)?.compactMap(\.text).joined(separator: "\n\n")
            }
            messages = try container.decode([Message].self, forKey: .messages)
            thinking = try container.decodeIfPresent(Thinking.self, forKey: .thinking)
            temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
            outputConfig = try container.decodeIfPresent(OutputConfig.self, forKey: .outputConfig)
            tools = try container.decodeIfPresent([Tool].self, forKey: .tools)
            toolChoice = try container.decodeIfPresent(ToolChoiceField.self, forKey: .toolChoice)
            stopSequences = try container.decodeIfPresent([String].self, forKey: .stopSequences)
            topP = try container.decodeIfPresent(Double.self, forKey: .topP)
            topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        }
    }

    /// A message: a plain string or a list of content blocks on the wire (text, tool_use,
    /// tool_result, thinking). One text block is sent as a plain string.
    public struct Message: Codable, Sendable {
        public var role: String
        public var content: [ContentBlock]

        public init(role: String, content: String) {
            self.role = role
            self.content = [.init(type: "text", text: content)]
        }

        public init(role: String, blocks: [ContentBlock]) {
            self.role = role
            self.content = blocks
        }

        /// The text blocks joined.
        public var text: String { content.filter { $0.type == "text" }.compactMap(\.text).joined() }

        enum CodingKeys: String, CodingKey { case role, content }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if let text = try? container.decode(String.self, forKey: .content) {
                content = [.init(type: "text", text: text)]
            } else {
                content = try container.decode([ContentBlock].self, forKey: .content)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            if content.count == 1, content[0].type == "text", let text = content[0].text {
                try container.encode(text, forKey: .content)
            } else {
                try container.encode(content, forKey: .content)
            }
        }
    }

    public struct Thinking: Codable, Sendable, Equatable {
        public var type: String
        public var budgetTokens: Int?

        enum CodingKeys: String, CodingKey { case type, budgetTokens = "budget_tokens" }

        public init(type: String, budgetTokens: Int?) {
            self.type = type
            self.budgetTokens = budgetTokens
        }
    }

    /// A content block: `text`, `thinking`, `tool_use` (id, name, input) or `tool_result`
    /// (tool_use_id, content, is_error).
    public struct ContentBlock: Codable, Sendable {
        public var type: String
        public var text: String?
        public var thinking: String?
        public var signature: String?
        public var id: String?
        public var name: String?
        public var input: JSONValue?
        public var toolUseId: String?
        public var content: ToolResultContent?
        public var isError: Bool?

        enum CodingKeys: String, CodingKey {
            case type, text, thinking, signature, id, name, input, content, toolUseId = "tool_use_id", isError = "is_error"
        }

        public init(type: String, text: String? = nil, thinking: String? = nil, signature: String? = nil) {
            self.type = type
            self.text = text
            self.thinking = thinking
            self.signature = signature
        }

        public static func toolUse(_ call: ToolCall) -> ContentBlock {
            var block = ContentBlock(type: "tool_use")
            block.id = call.id
            block.name = call.name
            block.input = call.argumentsObject
            return block
        }

        /// `is_error` is sent only when true.
        public static func toolResult(id: String, content: String, isError: Bool = false) -> ContentBlock {
            var block = ContentBlock(type: "tool_result")
            block.toolUseId = id
            block.content = ToolResultContent(text: content)
            block.isError = isError ? true : nil
            return block
        }

        /// A `tool_use` block as a neutral call.
        public var toolCall: ToolCall? {
            guard type == "tool_use", let id, let name else { return nil }
            return ToolCall(id: id, name: name, arguments: (input ?? .object([:])).jsonText)
        }
    }

    /// A tool result's content: a string, or text blocks (read joined).
    public struct ToolResultContent: Codable, Sendable {
        public var text: String

        public init(text: String) { self.text = text }

        struct Part: Codable {
            var type: String
            var text: String?
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self.text = text } else {
                text = try container.decode([Part].self).compactMap(\.text).joined()
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    public struct Usage: Codable, Sendable, Equatable {
        public var inputTokens: Int
        public var outputTokens: Int
        public var cacheCreationInputTokens: Int?
        public var cacheReadInputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens", outputTokens = "output_tokens"
            case cacheCreationInputTokens = "cache_creation_input_tokens", cacheReadInputTokens = "cache_read_input_tokens"
        }

        public init(inputTokens: Int, outputTokens: Int, cacheCreationInputTokens: Int?, cacheReadInputTokens: Int?) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.cacheCreationInputTokens = cacheCreationInputTokens
            self.cacheReadInputTokens = cacheReadInputTokens
        }
    }

    public struct Response: Codable, Sendable {
        public var id: String
        public var type: String
        public var role: String
        public var model: String
        public var content: [ContentBlock]
        public var stopReason: String?
        public var stopSequence: String?
        public var usage: Usage

        enum CodingKeys: String, CodingKey { case id, type, role, model, content, usage, stopReason = "stop_reason", stopSequence = "stop_sequence" }

        public init(id: String, model: String, content: [ContentBlock], stopReason: String?, usage: Usage, stopSequence: String? = nil) {
            self.stopSequence = stopSequence
            self.id = id
            self.type = "message"
            self.role = "assistant"
            self.model = model
            self.content = content
            self.stopReason = stopReason
            self.usage = usage
        }
    }

    /// `{"type": "error", "error": {"type", "message"}}`.
    public struct ErrorBody: Codable, Sendable {
        public var type: String
        public var error: Detail

        public struct Detail: Codable, Sendable {
            public var type: String
            public var message: String
        }

        public init(type: String, message: String) {
            self.type = "error"
            self.error = Detail(type: type, message: message)
        }
    }

    public struct ModelList: Codable, Sendable {
        public var data: [Model]
        public var hasMore: Bool

        public struct Model: Codable, Sendable {
            public var type: String
            public var id: String
            public var displayName: String
            public var createdAt: String

            enum CodingKeys: String, CodingKey { case type, id, displayName = "display_name", createdAt = "created_at" }

            public init(id: String, createdAt: String) {
                self.type = "model"
                self.id = id
                self.displayName = id
                self.createdAt = createdAt
            }
        }

        enum CodingKeys: String, CodingKey { case data, hasMore = "has_more" }

        public init(data: [Model]) {
            self.data = data
            self.hasMore = false
        }
    }
}
