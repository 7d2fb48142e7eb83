import AssayCore

/// OpenAI's `tools`, `tool_choice` and `stop` fields.
extension OpenAIWire {
    /// `{"type": "function", "function": {"name", "description", "parameters"}}`.
    public struct Tool: Codable, Sendable {
        public var type: String
        public var function: Function

        public struct Function: Codable, Sendable {
            public var name: String
            public var description: String?
            public var parameters: JSONValue?
        }

        public init(_ tool: ChatTool) {
            type = "function"
            function = Function(name: tool.name, description: tool.description, parameters: tool.parameters)
        }

        public var neutral: ChatTool {
            ChatTool(name: function.name, description: function.description, parameters: function.parameters ?? .object(["type": .string("object")]))
        }
    }

    /// `"auto" | "none" | "required"` or `{"type": "function", "function": {"name"}}`.
    public struct ToolChoiceField: Codable, Sendable {
        public var choice: ToolChoice

        public init(_ choice: ToolChoice) { self.choice = choice }

        struct Named: Codable {
            var type: String
            var function: Name
            struct Name: Codable { var name: String }
        }

        public init(from decoder: any Decoder) throws {
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

        public func encode(to encoder: any Encoder) throws {
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
    public struct StopField: Codable, Sendable {
        public var sequences: [String]

        public init(_ sequences: [String]) { self.sequences = sequences }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { sequences = [] } else if let one = try? container.decode(String.self) { sequences = [one] } else {
                sequences = try container.decode([String].self)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(sequences)
        }
    }
}
