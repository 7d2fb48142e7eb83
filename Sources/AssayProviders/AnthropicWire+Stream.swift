/// The events of a streamed Anthropic message (`stream: true`), as one decodable shape: every
/// event is `{"type": …}` plus the fields of its kind.
extension AnthropicWire {
    package struct StreamEvent: Codable, Sendable {
        /// message_start, content_block_start, content_block_delta, content_block_stop,
        /// message_delta, message_stop, ping or error.
        package var type: String
        package var message: Response?
        package var index: Int?
        package var contentBlock: ContentBlock?
        package var delta: Delta?
        package var usage: DeltaUsage?
        package var error: ErrorBody.Detail?

        enum CodingKeys: String, CodingKey { case type, message, index, delta, usage, error, contentBlock = "content_block" }

        package init(type: String, message: Response? = nil, index: Int? = nil, contentBlock: ContentBlock? = nil,
                    delta: Delta? = nil, usage: DeltaUsage? = nil) {
            self.type = type
            self.message = message
            self.index = index
            self.contentBlock = contentBlock
            self.delta = delta
            self.usage = usage
        }
    }

    /// A content delta (`text_delta`, `thinking_delta`, `signature_delta`, `input_json_delta`)
    /// or, in `message_delta`, the stop reason and stop sequence.
    package struct Delta: Codable, Sendable {
        package var type: String?
        package var text: String?
        package var thinking: String?
        package var partialJson: String?
        package var stopReason: String?
        package var stopSequence: String?

        enum CodingKeys: String, CodingKey {
            case type, text, thinking, partialJson = "partial_json", stopReason = "stop_reason", stopSequence = "stop_sequence"
        }

        package init(type: String? = nil, text: String? = nil, thinking: String? = nil, partialJson: String? = nil,
                    stopReason: String? = nil, stopSequence: String? = nil) {
            self.type = type
            self.text = text
            self.thinking = thinking
            self.partialJson = partialJson
            self.stopReason = stopReason
            self.stopSequence = stopSequence
        }
    }

    /// `message_delta`'s usage: the cumulative output count (and, from newer servers, input counts).
    package struct DeltaUsage: Codable, Sendable {
        package var outputTokens: Int
        package var inputTokens: Int?
        package var cacheReadInputTokens: Int?
        package var cacheCreationInputTokens: Int?
        enum CodingKeys: String, CodingKey {
            case outputTokens = "output_tokens", inputTokens = "input_tokens"
            case cacheReadInputTokens = "cache_read_input_tokens", cacheCreationInputTokens = "cache_creation_input_tokens"
        }
        package init(outputTokens: Int, inputTokens: Int? = nil, cacheReadInputTokens: Int? = nil, cacheCreationInputTokens: Int? = nil) {
            self.outputTokens = outputTokens
            self.inputTokens = inputTokens
            self.cacheReadInputTokens = cacheReadInputTokens
            self.cacheCreationInputTokens = cacheCreationInputTokens
        }
    }
}
