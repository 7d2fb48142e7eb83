import AssayCore
@testable import AssayProviders
import Foundation
import Testing

/// Golden files of this target: what the adapters send, and answers as the APIs document them.
/// After a deliberate change, regenerate with `ASSAY_UPDATE_GOLDEN=1 swift test --filter AssayProvidersTests`
/// and review the diff against the provider's API reference.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try text(name).utf8) }

    static func json(_ data: Data) throws -> JSONValue {
        try #require(JSONValue(parsing: String(decoding: data, as: UTF8.self)))
    }

    /// Compares `data` (JSON) with the golden file `name` as JSON values: key order and spacing
    /// are not part of any API. With `ASSAY_UPDATE_GOLDEN` set, rewrites the file instead.
    static func check(_ data: Data, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = directory + "/" + name
        if ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] != nil {
            let object = try JSONSerialization.jsonObject(with: data)
            let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try (String(decoding: pretty, as: UTF8.self) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(JSONValue(parsing: try text(name)), "\(name) is not JSON", sourceLocation: sourceLocation)
        let actual = try json(data)
        #expect(actual == expected, "\(name): got \(actual.jsonText)", sourceLocation: sourceLocation)
    }
}

/// Neutral requests every dialect encodes, one per shape that matters on the wire.
enum Requests {
    static let weather = ChatTool(name: "get_weather", description: "Current weather for a city", parameters: .object([
        "type": .string("object"),
        "properties": .object(["city": .object(["type": .string("string")])]),
        "required": .array([.string("city")]),
    ]))
    static let call = ToolCall(id: "call_7", name: "get_weather", arguments: #"{"city":"Paris"}"#, thoughtSignature: "sig-1")

    /// A system prompt, a question, a token limit, temperature and seed.
    static var plain: ChatRequest {
        ChatRequest(model: "m", messages: [.init(role: .system, content: "Answer briefly."), .init(role: .user, content: "What is 2 + 2?")],
                    maxTokens: 256, temperature: 0, seed: 7)
    }

    /// A replayed tool call and its result, the tool offered again, a forced choice and a stop sequence.
    static var tools: ChatRequest {
        var request = ChatRequest(model: "m", messages: [
            .init(role: .user, content: "What is the weather in Paris?"),
            .init(role: .assistant, content: "", toolCalls: [call]),
            .init(role: .tool, content: "18 C, clear", toolCallID: "call_7"),
        ], maxTokens: 512)
        request.tools = [weather]
        request.toolChoice = .tool("get_weather")
        request.stop = ["END"]
        return request
    }

    /// A streamed request with a reasoning effort.
    static var effort: ChatRequest {
        var request = ChatRequest(model: "m", messages: [.init(role: .user, content: "Prove that there are infinitely many primes.")],
                                  maxTokens: 1_000, effort: .medium)
        request.stream = true
        return request
    }

    static let all: [(String, ChatRequest)] = [("plain", plain), ("tools", tools), ("effort", effort)]
}

extension ProviderSettings.Kind {
    /// Settings as a config file with only `kind` would give them.
    var settings: ProviderSettings { ProviderSettings(name: rawValue, kind: self, baseURL: "http://127.0.0.1:1/v1") }

    /// The dialect this kind of provider speaks.
    var dialect: any WireDialect.Type {
        switch self {
        case .openai: OpenAIDialect.self
        case .anthropic: AnthropicDialect.self
        case .gemini: GeminiDialect.self
        }
    }
}
