import AssayCore

/// OpenAI's `tools`, `tool_choice` and `stop` fields.
extension OpenAIWire {
    /// `{"type": "function", "function": {"name", "description", "parameters"}}`.
    package struct Tool: Codable, Sendable {
        package var type: String
        package var function: Function

        package struct Function: Codable, Sendable {
            package var name: String
            package var description: String?
            package var parameters: JSONValue?
        }

        package init(_ tool: ChatTool) {
            type = "function"
            function = Function(name: tool.name, description: tool.description, parameters: tool.parameters)
        }

        package var neutral: ChatTool {
            ChatTool(name: function.name, description: function.description, parameters: function.parameters ?? .object(["type": .string("object")]))
        }
    }

    /// `"auto" | "none" | "required"` or `{"type": "function", "function": {"name"}}`.
    package struct ToolChoiceField: Codable, Sendable {
        package var choice: ToolChoice

        package init(_ choice: ToolChoice) { self.choice = choice }

        struct Named: Codable {
            var type: String
            var function: Name
            struct Name: Codable { var name: String }
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                switch text {
                case "none": choice = .none
                case "required": choice = .required
                default: choice = .auto
                }
            } else {
                choice = .tool(try container.decode(Named.self).function.name)
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch choice {
            case .auto: try container.encode("auto")
            case .none: try container.encode("none")
            case .required: try container.encode("required")
            case .tool(let name): try container.encode(Named(type: "function", function: .init(name: name)))
            }
        }
    }

    /// `stop`: one string or a list of them; always sent as a list.
    package struct StopField: Codable, Sendable {
        package var sequences: [String]

        package init(_ sequences: [String]) { self.sequences = sequences }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { sequences = [] } else if let one = try? container.decode(String.self) { sequences = [one] } else {
                sequences = try container.decode([String].self)
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(sequences)
        }
    }
}
