import AssayCore

/// Anthropic's `tools` and `tool_choice` fields.
extension AnthropicWire {
    /// `{"name", "description", "input_schema"}`.
    public struct Tool: Codable, Sendable {
        public var name: String
        public var description: String?
        public var inputSchema: JSONValue

        enum CodingKeys: String, CodingKey { case name, description, inputSchema = "input_schema" }

        public init(_ tool: ChatTool) {
            name = tool.name
            description = tool.description
            inputSchema = tool.parameters
        }

        public var neutral: ChatTool { ChatTool(name: name, description: description, parameters: inputSchema) }
    }

    /// `{"type": "auto" | "any" | "none" | "tool", "name"}`.
    public struct ToolChoiceField: Codable, Sendable {
        public var type: String
        public var name: String?

        public init(_ choice: ToolChoice) {
            switch choice {
            case .auto: type = "auto"
            case .none: type = "none"
            case .required: type = "any"
            case .tool(let name):
                type = "tool"
                self.name = name
            }
        }

        public var neutral: ToolChoice {
            switch type {
            case "none": .none
            case "any": .required
            case "tool": name.map(ToolChoice.tool) ?? .required
            default: .auto
            }
        }
    }
}
