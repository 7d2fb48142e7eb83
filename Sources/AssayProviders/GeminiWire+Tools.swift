import AssayCore

/// Gemini's function calling: `tools[].functionDeclarations`, `toolConfig`, and the
/// `functionCall` / `functionResponse` parts.
extension GeminiWire {
    package struct Tool: Codable, Sendable {
        package var functionDeclarations: [FunctionDeclaration]
        package init(functionDeclarations: [FunctionDeclaration]) { self.functionDeclarations = functionDeclarations }
    }

    /// `{"name", "description", "parametersJsonSchema"}`. Assay sends the schema in
    /// `parametersJsonSchema` (full JSON Schema); `parameters` takes only Gemini's OpenAPI
    /// subset, and the two are mutually exclusive. Either is read.
    package struct FunctionDeclaration: Codable, Sendable {
        package var name: String
        package var description: String?
        package var parameters: JSONValue?
        package var parametersJsonSchema: JSONValue?

        package init(_ tool: ChatTool) {
            name = tool.name
            description = tool.description
            parametersJsonSchema = tool.parameters
        }

        package var neutral: ChatTool {
            ChatTool(name: name, description: description, parameters: parametersJsonSchema ?? parameters ?? .object(["type": .string("object")]))
        }
    }

    /// `{"functionCallingConfig": {"mode": "AUTO" | "ANY" | "NONE", "allowedFunctionNames"}}`.
    package struct ToolConfig: Codable, Sendable {
        package var functionCallingConfig: FunctionCallingConfig

        package struct FunctionCallingConfig: Codable, Sendable {
            package var mode: String
            package var allowedFunctionNames: [String]?
        }

        package init(_ choice: ToolChoice) {
            functionCallingConfig = switch choice {
            case .auto: .init(mode: "AUTO")
            case .none: .init(mode: "NONE")
            case .required: .init(mode: "ANY")
            case .tool(let name): .init(mode: "ANY", allowedFunctionNames: [name])
            }
        }

        package var neutral: ToolChoice {
            switch functionCallingConfig.mode.uppercased() {
            case "NONE": .none
            case "ANY": functionCallingConfig.allowedFunctionNames?.count == 1 ? .tool(functionCallingConfig.allowedFunctionNames![0]) : .required
            default: .auto
            }
        }
    }

    /// `{"name", "args", "id"}`: Gemini's call carries arguments as an object and may omit the id.
    package struct FunctionCall: Codable, Sendable {
        package var id: String?
        package var name: String
        package var args: JSONValue?

        package init(id: String?, name: String, args: JSONValue?) {
            self.id = id
            self.name = name
            self.args = args
        }
    }

    /// `{"name", "response", "id"}`: the result of a call, an object.
    package struct FunctionResponse: Codable, Sendable {
        package var id: String?
        package var name: String
        package var response: JSONValue

        package init(id: String?, name: String, response: JSONValue) {
            self.id = id
            self.name = name
            self.response = response
        }

        /// A tool's text result as Gemini's response object: a JSON object as it is, anything
        /// else wrapped as `{"content": text}`. A failed call's result is `{"error": text}`, the
        /// key Gemini documents for error details.
        package static func wrapping(_ text: String, isError: Bool = false) -> JSONValue {
            if isError { return .object(["error": .string(text)]) }
            if let value = JSONValue(parsing: text), value.objectValue != nil { return value }
            return .object(["content": .string(text)])
        }

        /// The response object as a tool result's text: `content` (or `error`) unwrapped, else the JSON.
        package var text: String {
            if let object = response.objectValue, object.count == 1, let content = (object["content"] ?? object["error"])?.stringValue {
                return content
            }
            return response.jsonText
        }

        /// True when the response is `{"error": text}` alone.
        package var isError: Bool {
            guard let object = response.objectValue, object.count == 1 else { return false }
            return object["error"]?.stringValue != nil
        }
    }
}

extension GeminiWire {
    /// Neutral messages (no system ones) as Gemini contents: assistant turns are `model` turns
    /// with `functionCall` parts; tool results are `user` turns of `functionResponse` parts,
    /// named after the call they answer (Gemini matches results by name). Calls go back with
    /// their `thoughtSignature`; a turn whose calls have none (they came from another provider,
    /// or through a format that cannot carry it) gets `dummySignature` on its first call.
    package static func contents(_ messages: [ChatRequest.Message]) -> [Content] {
        var names: [String: String] = [:]
        var contents: [Content] = []
        for message in messages {
            switch message.role {
            case .assistant:
                for call in message.toolCalls { names[call.id] = call.name }
                let text: [Part] = message.content.isEmpty && !message.toolCalls.isEmpty ? [] : [.init(text: message.content)]
                let unsigned = message.toolCalls.allSatisfy { $0.thoughtSignature == nil }
                contents.append(Content(role: "model", parts: text + message.toolCalls.enumerated().map { index, call in
                    Part(functionCall: .init(id: call.id, name: call.name, args: call.argumentsObject),
                         thoughtSignature: call.thoughtSignature ?? (unsigned && index == 0 ? dummySignature : nil))
                }))
            case .tool:
                let id = message.toolCallID ?? ""
                let part = Part(functionResponse: .init(id: id.isEmpty ? nil : id, name: names[id] ?? id,
                                                        response: FunctionResponse.wrapping(message.content, isError: message.isError)))
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

    /// The signature Google documents for replaying function calls that Gemini did not make
    /// (history from another model): it skips the signature check.
    package static let dummySignature = "skip_thought_signature_validator"

    /// Gemini contents as neutral messages; calls without an id get `call_<turn>_<n>`, and
    /// results without one take the id of the latest call of that name. The dummy signature
    /// reads as none (`contents` adds it again).
    package static func neutral(_ contents: [Content]) -> [ChatRequest.Message] {
        var ids: [String: String] = [:]
        var messages: [ChatRequest.Message] = []
        for (turn, content) in contents.enumerated() {
            let text = content.parts.filter { $0.thought != true }.compactMap(\.text).joined()
            if content.role == "model" {
                let signed = content.parts.compactMap { part in part.functionCall.map { ($0, part.thoughtSignature) } }
                let calls = signed.enumerated().map { index, pair in
                    ToolCall(id: pair.0.id ?? "call_\(turn)_\(index)", name: pair.0.name, arguments: (pair.0.args ?? .object([:])).jsonText,
                             thoughtSignature: pair.1 == dummySignature ? nil : pair.1)
                }
                for call in calls { ids[call.name] = call.id }
                messages.append(.init(role: .assistant, content: text, toolCalls: calls))
                continue
            }
            for response in content.parts.compactMap(\.functionResponse) {
                messages.append(.init(role: .tool, content: response.text, toolCallID: response.id ?? ids[response.name] ?? response.name,
                                      isError: response.isError))
            }
            if content.parts.contains(where: { $0.text != nil }) || content.parts.isEmpty { messages.append(.init(role: .user, content: text)) }
        }
        return messages
    }
}
