import AssayCore
import AssayProviders
import AssaySuites
import Foundation

/// How a simulated model uses tools and stop sequences; deterministic, so tests can rely on it
/// (the rule is in docs/simulator.md).
enum SimulatedTools {
    /// The tool call the model makes, if any: the named tool when `toolChoice` names one; else
    /// the first offered tool one of whose name words (4+ letters; split at `_`, `-`, `.` and
    /// lower→upper case changes) the prompt contains; else, when a call is required, the first
    /// tool. Never with `toolChoice: none`, and never right after a tool result.
    static func call(model: String, tools: [ChatTool], choice: ToolChoice?, prompt: String) -> ToolCall? {
        guard !tools.isEmpty, choice != ToolChoice.none else { return nil }
        let lowered = prompt.lowercased()
        let tool: ChatTool?
        switch choice {
        case .tool(let name)?: tool = tools.first { $0.name == name }
        case .required?: tool = tools.first { matches($0.name, lowered) } ?? tools.first
        default: tool = tools.first { matches($0.name, lowered) }
        }
        guard let tool else { return nil }
        let id = "call_" + String(StableHash.hash([model, tool.name, prompt]) % 1_000_000_000_000, radix: 16)
        return ToolCall(id: id, name: tool.name, arguments: arguments(for: tool.parameters, prompt: prompt).jsonText)
    }

    /// The words of a tool's name that count: 4 letters or more.
    static func words(of name: String) -> [String] {
        var words: [String] = [], current = ""
        var previousLower = false
        for character in name {
            if character == "_" || character == "-" || character == "." || character == " " {
                words.append(current)
                current = ""
            } else if character.isUppercase && previousLower {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
            previousLower = character.isLowercase
        }
        words.append(current)
        return words.map { $0.lowercased() }.filter { $0.count >= 4 }
    }

    static func matches(_ name: String, _ loweredPrompt: String) -> Bool {
        words(of: name).contains { loweredPrompt.contains($0) }
    }

    /// Arguments filled from the schema: the required properties (all, when none is required),
    /// strings the first `enum` value or the prompt's last word, numbers the prompt's first
    /// number (else 0), booleans true, anything else null.
    static func arguments(for schema: JSONValue, prompt: String) -> JSONValue {
        let properties = schema.objectValue?["properties"]?.objectValue ?? [:]
        let required = schema.objectValue?["required"]?.arrayValue?.compactMap(\.stringValue)
        let names = (required ?? properties.keys.sorted()).filter { properties[$0] != nil || required != nil }
        var object: [String: JSONValue] = [:]
        for name in names {
            let property = properties[name]?.objectValue ?? [:]
            switch property["type"]?.stringValue {
            case "string":
                object[name] = property["enum"]?.arrayValue?.first ?? .string(lastWord(of: prompt))
            case "number", "integer":
                object[name] = .number(NumberExtractor.numbers(in: prompt).first ?? 0)
            case "boolean":
                object[name] = .bool(true)
            default:
                object[name] = .null
            }
        }
        return .object(object)
    }

    static func lastWord(of text: String) -> String {
        let words = text.split { !($0.isLetter || $0.isNumber) }
        return words.last.map(String.init) ?? ""
    }

    /// The answer to a tool result turn: it quotes the result.
    static func answer(toResult result: ChatRequest.Message, messages: [ChatRequest.Message]) -> String {
        let name = messages.flatMap(\.toolCalls).first { $0.id == result.toolCallID }?.name ?? "tool"
        return "The \(name) tool returned: \(result.content.prefix(200))"
    }

    /// The text cut before the earliest occurrence of any stop sequence, and which one it was.
    static func cut(_ text: String, at stop: [String]) -> (text: String, sequence: String?) {
        var best: (Range<String.Index>, String)?
        for sequence in stop where !sequence.isEmpty {
            if let range = text.range(of: sequence), best.map({ range.lowerBound < $0.0.lowerBound }) ?? true { best = (range, sequence) }
        }
        guard let best else { return (text, nil) }
        return (String(text[..<best.0.lowerBound]), best.1)
    }
}
