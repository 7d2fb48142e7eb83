import AssayCore

/// Gemini's function calling: `tools[].functionDeclarations`, `toolConfig`, and the
/// `functionCall` / `functionResponse` parts.
extension GeminiWire {
    public struct Tool: Codable, Sendable {
        public var functionDeclarations: [FunctionDeclaration]
        public init(functionDeclarations: [FunctionDeclaration]) { self.functionDeclarations = functionDeclarations }
    }

    public struct FunctionDeclaration: Codable, Sendable {
        public var name: String
        public var description: String?
        public var parameters: JSONValue?

        public init(_ tool: ChatTool) {
            name = tool.name
            description = tool.description
            parameters = tool.parameters
        }

        public var neutral: ChatTool { ChatTool(name: name, description: description, parameters: parameters ?? .object(["type": .string("object")])) }
    }

    /// `{"functionCallingConfig": {"mode": "AUTO" | "ANY" | "NONE", "allowedFunctionNames"}}`.
    public struct ToolConfig: Codable, Sendable {
        public var functionCallingConfig: FunctionCallingConfig

        public struct FunctionCallingConfig: Codable, Sendable {
            public var mode: String
            public var allowedFunctionNames: [String]?
        }

        public init(_ choice: ToolChoice) {
            functionCallingConfig = switch choice {
            case .auto: .init(mode: "AUTO")
            case .none: .init(mode: "NONE")
            case .required: .init(mode: "ANY")
            case .tool(let name): .init(mode: "ANY", allowedFunctionNames: [name])
            }
        }

        public var neutral: ToolChoice {
            switch functionCallingConfig.mode.uppercased() {
            case "NONE": .none
            case "ANY": functionCallingConfig.allowedFunctionNames?.count == 1 ? .tool(functionCallingConfig.allowedFunctionNames![0]) : .required
            default: .auto
            }
        }
    }

    /// `{"name", "args", "id"}`: Gemini's call carries arguments as an object and may omit the id.
    public struct FunctionCall: Codable, Sendable {
        public var id: String?
        public var name: String
        public var args: JSONValue?

        public init(id: String?, name: String, args: JSONValue?) {
            self.id = id
            self.name = name
            self.args = args
        }
    }

    /// `{"name", "response", "id"}`: the result of a call, an object.
    public struct FunctionResponse: Codable, Sendable {
        public var id: String?
        public var name: String
        public var response: JSONValue

        public init(id: String?, name: String, response: JSONValue) {
            self.id = id
            self.name = name
            self.response = response
        }

        /// A tool's text result as Gemini's response object: a JSON object as it is, anything
        /// else wrapped as `{"content": text}`.
        public static func wrapping(_ text: String) -> JSONValue {
            if let value = JSONValue(parsing: text), value.objectValue != nil { return value }
            return .object(["content": .string(text)])
        }

        /// The response object as a tool result's text: `content` unwrapped, else the JSON.
        public var text: String {
            if let object = response.objectValue, object.count == 1, let content = object["content"]?.stringValue { return content }
            return response.jsonText
        }
    }
}

extension GeminiWire {
    /// Neutral messages (no system ones) as Gemini contents: assistant turns are `model` turns
    /// with `functionCall` parts; tool results are `user` turns of `functionResponse` parts,
    /// named after the call they answer (Gemini matches results by name).
    public static func contents(_ messages: [ChatRequest.Message]) -> [Content] {
        var names: [String: String] = [:]
        var contents: [Content] = []
        for message in messages {
            switch message.role {
            case .assistant:
                for call in message.toolCalls { names[call.id] = call.name }
                let text: [Part] = message.content.isEmpty && !message.toolCalls.isEmpty ? [] : [.init(text: message.content)]
                contents.append(Content(role: "model", parts: text + message.toolCalls.map {
                    Part(functionCall: .init(id: $0.id, name: $0.name, args: $0.argumentsObject))
                }))
            case .tool:
                let id = message.toolCallID ?? ""
                let part = Part(functionResponse: .init(id: id.isEmpty ? nil : id, name: names[id] ?? id,
                                                        response: FunctionResponse.wrapping(message.content)))
                if let last = contents.last, last.role == "user", last.parts.allSatisfy({ $0.functionResponse != nil }) {
                    contents[contents.count - 1].parts.append(part)
                } else {
                    contents.append(Content(role: "user", parts: [part]))
                }
            default: contents.append(Content(role: "user", parts: [.init(text: message.content)]))
            }
        }
        return contents
    }

    /// Gemini contents as neutral messages; calls without an id get `call_<turn>_<n>`, and
    /// results without one take the id of the latest call of that name.
    public static func neutral(_ contents: [Content]) -> [ChatRequest.Message] {
        var ids: [String: String] = [:]
        var messages: [ChatRequest.Message] = []
        for (turn, content) in contents.enumerated() {
            let text = content.parts.filter { $0.thought != true }.compactMap(\.text).joined()
            if content.role == "model" {
                let calls = content.parts.compactMap(\.functionCall).enumerated().map { index, call in
                    ToolCall(id: call.id ?? "call_\(turn)_\(index)", name: call.name, arguments: (call.args ?? .object([:])).jsonText)
                }
                for call in calls { ids[call.name] = call.id }
                messages.append(.init(role: .assistant, content: text, toolCalls: calls))
                continue
            }
            for response in content.parts.compactMap(\.functionResponse) {
                messages.append(.init(role: .tool, content: response.text, toolCallID: response.id ?? ids[response.name] ?? response.name))
            }
            if content.parts.contains(where: { $0.text != nil }) || content.parts.isEmpty { messages.append(.init(role: .user, content: text)) }
        }
        return messages
    }
}
