import AssayCore

/// A function the model may call, as every format's `tools` describes it.
public struct ChatTool: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The JSON Schema of the arguments object.
    public var parameters: JSONValue

    public init(name: String, description: String? = nil, parameters: JSONValue = .object(["type": .string("object")])) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// Whether the model may, must or must not call a tool, or must call one by name.
public enum ToolChoice: Sendable, Hashable {
    case auto, none, required
    case tool(String)
}

/// A call the assistant made. Arguments are JSON text, as OpenAI carries them; Anthropic's
/// `input` and Gemini's `args` objects are encoded to and parsed from it.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: String
    /// Gemini's opaque `thoughtSignature` of the call's part, to send back with the call in
    /// history (Gemini 3 requires it); other formats ignore it.
    public var thoughtSignature: String?

    public init(id: String, name: String, arguments: String, thoughtSignature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.thoughtSignature = thoughtSignature
    }

    /// The arguments as a JSON object (an empty object when they are not one).
    package var argumentsObject: JSONValue {
        if let value = JSONValue(parsing: arguments), value.objectValue != nil { return value }
        return .object([:])
    }
}

/// One piece of a streamed answer, in neutral terms.
public enum ChatDelta: Sendable, Hashable {
    /// Answer text.
    case text(String)
    /// A tool call begins: `index` counts the answer's tool calls from 0.
    case toolCallStart(index: Int, id: String, name: String)
    /// More of tool call `index`'s arguments (JSON text, in pieces).
    case toolCallArguments(index: Int, fragment: String)
    /// What the upstream has said about usage before the answer (Anthropic's `message_start`:
    /// input and cache counts); sent just before the first piece, never on its own.
    case usage(Usage)
}
