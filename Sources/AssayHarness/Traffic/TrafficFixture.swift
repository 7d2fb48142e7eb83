import AssayCore
import Foundation

/// A traffic fixture: JSON Lines, one request a line, `{"id", "kind", "api", "body"}` with `api`
/// `openai` (an OpenAI chat-completions body) or `anthropic` (a Messages body). `id` and `kind`
/// are optional labels; the body is sent as it is.
package struct TrafficFixture: Sendable {
    package enum API: String, Sendable, Encodable {
        case openai, anthropic

        package var path: String { self == .openai ? "/v1/chat/completions" : "/v1/messages" }
    }

    package struct Request: Sendable {
        package var line: Int
        package var id: String
        package var kind: String
        package var api: API
        /// The body as JSON text.
        package var body: String
    }

    package var requests: [Request]

    /// Reads `path`; any line that is not such a request is an error naming the file, line and field.
    package static func read(path: String) throws -> TrafficFixture {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AssayError(.notFound, "cannot read the traffic fixture \(path)", hint: "pass a JSON Lines file such as traffic/everyday.jsonl")
        }
        var requests: [Request] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let location = "\(path):\(index + 1)"
            guard let object = JSONValue(parsing: String(line))?.objectValue else {
                throw AssayError(.suite, "\(location): not a JSON object", hint: "one request a line: {\"api\": \"openai\", \"body\": {…}}")
            }
            guard let apiText = object["api"]?.stringValue, let api = API(rawValue: apiText) else {
                throw AssayError(.suite, "\(location): field 'api' must be \"openai\" or \"anthropic\"")
            }
            guard let body = object["body"], body.objectValue != nil else {
                throw AssayError(.suite, "\(location): field 'body' must be an object (the request body)")
            }
            requests.append(Request(line: index + 1, id: object["id"]?.stringValue ?? "line-\(index + 1)",
                                    kind: object["kind"]?.stringValue ?? "unlabelled", api: api, body: body.jsonText))
        }
        guard !requests.isEmpty else { throw AssayError(.suite, "\(path) holds no requests") }
        return TrafficFixture(requests: requests)
    }
}
