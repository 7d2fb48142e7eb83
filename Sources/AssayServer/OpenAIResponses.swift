import AssayProviders
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Answers in OpenAI's chat-completion shape, whole or as server-sent events.
enum OpenAIResponses {
    static func respond(_ answer: ChatResponse, model: String, stream: Bool, includeUsage: Bool, headers: HTTPFields) -> Response {
        let id = "chatcmpl-assay-\(UUID().uuidString.lowercased().prefix(12))"
        let created = Int(Date().timeIntervalSince1970)
        let usage = OpenAIWire.Usage(answer.usage)
        let finish = answer.finishReason.map(normalisedFinish) ?? "stop"
        guard stream else {
            return json(OpenAIWire.Response(id: id, created: created, model: model,
                                            choices: [.init(index: 0, message: .init(role: "assistant", content: answer.text), finishReason: finish)],
                                            usage: usage), headers: headers)
        }
        // The upstream answer is complete before the first event is sent (no incremental passthrough yet).
        var chunks: [OpenAIWire.Chunk] = [
            .init(id: id, created: created, model: model, choices: [.init(index: 0, delta: .init(role: "assistant", content: ""), finishReason: nil)], usage: nil),
        ]
        for piece in pieces(of: answer.text) {
            chunks.append(.init(id: id, created: created, model: model, choices: [.init(index: 0, delta: .init(content: piece), finishReason: nil)], usage: nil))
        }
        chunks.append(.init(id: id, created: created, model: model, choices: [.init(index: 0, delta: .init(), finishReason: finish)], usage: nil))
        if includeUsage { chunks.append(.init(id: id, created: created, model: model, choices: [], usage: usage)) }
        let encoder = plainEncoder()
        var body = ""
        for chunk in chunks { body += "data: " + String(decoding: (try? encoder.encode(chunk)) ?? Data(), as: UTF8.self) + "\n\n" }
        body += "data: [DONE]\n\n"
        var fields = headers
        fields[.contentType] = "text/event-stream"
        fields[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// An answer cut into the pieces a stream sends, 64 characters each.
    static func pieces(of text: String) -> [String] {
        var rest = Substring(text), pieces: [String] = []
        while !rest.isEmpty {
            let piece = rest.prefix(64)
            rest = rest.dropFirst(piece.count)
            pieces.append(String(piece))
        }
        return pieces
    }

    /// Anthropic's and Gemini's stop reasons in OpenAI's words.
    static func normalisedFinish(_ reason: String) -> String {
        switch reason {
        case "end_turn", "STOP", "stop_sequence": "stop"
        case "max_tokens", "MAX_TOKENS", "length": "length"
        default: reason
        }
    }
}
