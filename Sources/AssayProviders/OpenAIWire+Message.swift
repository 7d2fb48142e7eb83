import AssayCore

/// A chat message in OpenAI's wire shape: `content` a string, null (an assistant that only
/// calls tools) or a list of text parts; `tool_calls` on assistant messages; role `tool` with
/// `tool_call_id` for a tool's result. `developer` reads as `system`.
extension ChatRequest.Message: Codable {
    enum CodingKeys: String, CodingKey { case role, content, toolCalls = "tool_calls", toolCallID = "tool_call_id" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let roleText = try container.decode(String.self, forKey: .role)
        guard let role = roleText == "developer" ? .system : Role(rawValue: roleText) else {
            throw DecodingError.dataCorruptedError(forKey: .role, in: container, debugDescription: "unknown role '\(roleText)'")
        }
        self.role = role
        if let text = try? container.decodeIfPresent(String.self, forKey: .content) {
            content = text
        } else if let parts = try? container.decodeIfPresent([OpenAIWire.ContentPart].self, forKey: .content) {
            content = parts.compactMap(\.text).joined()
        } else {
            content = ""
        }
        toolCalls = (try container.decodeIfPresent([OpenAIWire.ToolCall].self, forKey: .toolCalls) ?? []).map(\.neutral)
        toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role.rawValue, forKey: .role)
        if content.isEmpty && !toolCalls.isEmpty { try container.encodeNil(forKey: .content) } else { try container.encode(content, forKey: .content) }
        if !toolCalls.isEmpty { try container.encode(toolCalls.map(OpenAIWire.ToolCall.init), forKey: .toolCalls) }
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
    }
}

extension OpenAIWire {
    /// One part of a list-valued `content` (only text parts are read).
    package struct ContentPart: Codable, Sendable {
        package var type: String
        package var text: String?
    }

    /// `{"id", "type": "function", "function": {"name", "arguments"}}`.
    package struct ToolCall: Codable, Sendable {
        package var id: String
        package var type: String
        package var function: Function

        package struct Function: Codable, Sendable {
            package var name: String
            package var arguments: String
        }

        package init(_ call: AssayProviders.ToolCall) {
            id = call.id
            type = "function"
            function = Function(name: call.name, arguments: call.arguments)
        }

        package var neutral: AssayProviders.ToolCall { .init(id: id, name: function.name, arguments: function.arguments) }
    }

    /// A streamed piece of a tool call: the first carries id and name, later ones argument text.
    package struct DeltaToolCall: Codable, Sendable {
        package var index: Int
        package var id: String?
        package var type: String?
        package var function: Function?

        package struct Function: Codable, Sendable {
            package var name: String?
            package var arguments: String?
            package init(name: String?, arguments: String?) {
                self.name = name
                self.arguments = arguments
            }
        }

        package init(index: Int, id: String? = nil, name: String? = nil, arguments: String? = nil) {
            self.index = index
            self.id = id
            self.type = id == nil ? nil : "function"
            self.function = Function(name: name, arguments: arguments)
        }
    }
}
