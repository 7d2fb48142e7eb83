import AssayCore

/// Anthropic's Messages API wire format (the subset Assay sends and reads).
package enum AnthropicWire {
    package struct Request: Codable, Sendable {
        package var model: String
        package var maxTokens: Int
        package var system: String?
        package var messages: [Message]
        package var thinking: Thinking?
        package var temperature: Double?
        package var stream: Bool?
        /// The effort control of newer models: `output_config: {effort}`.
        package var outputConfig: OutputConfig?
        package var tools: [Tool]?
        package var toolChoice: ToolChoiceField?
        package var stopSequences: [String]?
        /// Read from clients only to be checked (`assay serve` refuses what the API refuses); never sent.
        package var topP: Double?
        package var topK: Int?

        package struct OutputConfig: Codable, Sendable, Equatable {
            package var effort: String?
            package init(effort: String?) { self.effort = effort }
        }

        enum CodingKeys: String, CodingKey {
            case model, system, messages, thinking, temperature, stream, tools, maxTokens = "max_tokens", outputConfig = "output_config"
            case toolChoice = "tool_choice", stopSequences = "stop_sequences", topP = "top_p", topK = "top_k"
        }

        package init(model: String, maxTokens: Int, system: String?, messages: [Message], thinking: Thinking?,
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
        package init(from decoder: any Decoder) throws {
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
    package struct Message: Codable, Sendable {
        package var role: String
        package var content: [ContentBlock]

        package init(role: String, content: String) {
            self.role = role
            self.content = [.init(type: "text", text: content)]
        }

        package init(role: String, blocks: [ContentBlock]) {
            self.role = role
            self.content = blocks
        }

        /// The text blocks joined.
        package var text: String { content.filter { $0.type == "text" }.compactMap(\.text).joined() }

        enum CodingKeys: String, CodingKey { case role, content }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if let text = try? container.decode(String.self, forKey: .content) {
                content = [.init(type: "text", text: text)]
            } else {
                content = try container.decode([ContentBlock].self, forKey: .content)
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            if content.count == 1, content[0].type == "text", let text = content[0].text {
                try container.encode(text, forKey: .content)
            } else {
                try container.encode(content, forKey: .content)
            }
        }
    }

    package struct Thinking: Codable, Sendable, Equatable {
        package var type: String
        package var budgetTokens: Int?

        enum CodingKeys: String, CodingKey { case type, budgetTokens = "budget_tokens" }

        package init(type: String, budgetTokens: Int?) {
            self.type = type
            self.budgetTokens = budgetTokens
        }
    }

    /// A content block: `text`, `thinking`, `tool_use` (id, name, input) or `tool_result`
    /// (tool_use_id, content, is_error).
    package struct ContentBlock: Codable, Sendable {
        package var type: String
        package var text: String?
        package var thinking: String?
        package var signature: String?
        package var id: String?
        package var name: String?
        package var input: JSONValue?
        package var toolUseId: String?
        package var content: ToolResultContent?
        package var isError: Bool?

        enum CodingKeys: String, CodingKey {
            case type, text, thinking, signature, id, name, input, content, toolUseId = "tool_use_id", isError = "is_error"
        }

        package init(type: String, text: String? = nil, thinking: String? = nil, signature: String? = nil) {
            self.type = type
            self.text = text
            self.thinking = thinking
            self.signature = signature
        }

        package static func toolUse(_ call: ToolCall) -> ContentBlock {
            var block = ContentBlock(type: "tool_use")
            block.id = call.id
            block.name = call.name
            block.input = call.argumentsObject
            return block
        }

        /// `is_error` is sent only when true.
        package static func toolResult(id: String, content: String, isError: Bool = false) -> ContentBlock {
            var block = ContentBlock(type: "tool_result")
            block.toolUseId = id
            block.content = ToolResultContent(text: content)
            block.isError = isError ? true : nil
            return block
        }

        /// A `tool_use` block as a neutral call.
        package var toolCall: ToolCall? {
            guard type == "tool_use", let id, let name else { return nil }
            return ToolCall(id: id, name: name, arguments: (input ?? .object([:])).jsonText)
        }
    }

    /// A tool result's content: a string, or text blocks (read joined).
    package struct ToolResultContent: Codable, Sendable {
        package var text: String

        package init(text: String) { self.text = text }

        struct Part: Codable {
            var type: String
            var text: String?
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self.text = text } else {
                text = try container.decode([Part].self).compactMap(\.text).joined()
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    package struct Usage: Codable, Sendable, Equatable {
        package var inputTokens: Int
        package var outputTokens: Int
        package var cacheCreationInputTokens: Int?
        package var cacheReadInputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens", outputTokens = "output_tokens"
            case cacheCreationInputTokens = "cache_creation_input_tokens", cacheReadInputTokens = "cache_read_input_tokens"
        }

        package init(inputTokens: Int, outputTokens: Int, cacheCreationInputTokens: Int?, cacheReadInputTokens: Int?) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.cacheCreationInputTokens = cacheCreationInputTokens
            self.cacheReadInputTokens = cacheReadInputTokens
        }
    }

    package struct Response: Codable, Sendable {
        package var id: String
        package var type: String
        package var role: String
        package var model: String
        package var content: [ContentBlock]
        package var stopReason: String?
        package var stopSequence: String?
        package var usage: Usage

        enum CodingKeys: String, CodingKey { case id, type, role, model, content, usage, stopReason = "stop_reason", stopSequence = "stop_sequence" }

        package init(id: String, model: String, content: [ContentBlock], stopReason: String?, usage: Usage, stopSequence: String? = nil) {
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
    package struct ErrorBody: Codable, Sendable {
        package var type: String
        package var error: Detail

        package struct Detail: Codable, Sendable {
            package var type: String
            package var message: String
        }

        package init(type: String, message: String) {
            self.type = "error"
            self.error = Detail(type: type, message: message)
        }
    }

    package struct ModelList: Codable, Sendable {
        package var data: [Model]
        package var hasMore: Bool

        package struct Model: Codable, Sendable {
            package var type: String
            package var id: String
            package var displayName: String
            package var createdAt: String

            enum CodingKeys: String, CodingKey { case type, id, displayName = "display_name", createdAt = "created_at" }

            package init(id: String, createdAt: String) {
                self.type = "model"
                self.id = id
                self.displayName = id
                self.createdAt = createdAt
            }
        }

        enum CodingKeys: String, CodingKey { case data, hasMore = "has_more" }

        package init(data: [Model]) {
            self.data = data
            self.hasMore = false
        }
    }
}
