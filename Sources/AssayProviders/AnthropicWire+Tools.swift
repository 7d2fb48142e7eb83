import AssayCore

/// Anthropic's `tools` and `tool_choice` fields.
extension AnthropicWire {
    /// `{"name", "description", "input_schema"}`.
    package struct Tool: Codable, Sendable {
        package var name: String
        package var description: String?
        package var inputSchema: JSONValue

        enum CodingKeys: String, CodingKey { case name, description, inputSchema = "input_schema" }

        package init(_ tool: ChatTool) {
            name = tool.name
            description = tool.description
            inputSchema = tool.parameters
        }

        package var neutral: ChatTool { ChatTool(name: name, description: description, parameters: inputSchema) }
    }

    /// `{"type": "auto" | "any" | "none" | "tool", "name"}`.
    package struct ToolChoiceField: Codable, Sendable {
        package var type: String
        package var name: String?

        package init(_ choice: ToolChoice) {
            switch choice {
            case .auto: type = "auto"
            case .none: type = "none"
            case .required: type = "any"
            case .tool(let name):
                type = "tool"
                self.name = name
            }
        }

        package var neutral: ToolChoice {
            switch type {
            case "none": .none
            case "any": .required
            case "tool": name.map(ToolChoice.tool) ?? .required
            default: .auto
            }
        }
    }
}
