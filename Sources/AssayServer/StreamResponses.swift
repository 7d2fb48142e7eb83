import AssayProviders
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// `stream: true` on either ingress: the relay's pieces written to the client as they arrive,
/// in the client's format. Refusals before the first piece are ordinary error responses.
extension ProxyHandlers {
    func streamChatCompletion(_ ask: Ask, includeUsage: Bool, headers: HTTPFields) async -> Response {
        switch await relay(ask, headers: headers) {
        case .failure(let refusal):
            return refusal.response
        case .success(let committed):
            let model = committed.model.description
            return Self.eventStream(committed) { body in
                let writer = OpenAIStreamWriter(model: model, includeUsage: includeUsage)
                try await body.write(ByteBuffer(string: writer.start()))
                for await event in committed.events {
                    switch event {
                    case .delta(let delta): try await body.write(ByteBuffer(string: writer.piece(delta)))
                    case .finished(let answer): try await body.write(ByteBuffer(string: writer.finish(answer)))
                    case .failed(let error): try await body.write(ByteBuffer(string: writer.failure(error)))
                    }
                }
            }
        }
    }

    func streamMessages(_ ask: Ask, headers: HTTPFields) async -> Response {
        switch await relay(ask, headers: headers) {
        case .failure(let refusal):
            return AnthropicResponses.error(refusal)
        case .success(let committed):
            let model = committed.model.description
            return Self.eventStream(committed) { body in
                var writer = AnthropicStreamWriter(model: model)
                try await body.write(ByteBuffer(string: writer.start()))
                for await event in committed.events {
                    switch event {
                    case .delta(let delta): try await body.write(ByteBuffer(string: writer.piece(delta)))
                    case .finished(let answer): try await body.write(ByteBuffer(string: writer.finish(answer)))
                    case .failed(let error): try await body.write(ByteBuffer(string: writer.failure(error)))
                    }
                }
            }
        }
    }

    /// A `text/event-stream` response whose body `write` produces, with the route header.
    static func eventStream(_ committed: StreamRelay.Committed,
                            _ write: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", routeHeader: committed.explanation]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // A write that fails (the client went away) ends here too: stop the upstream call.
            defer { committed.cancel() }
            try await write(&writer)
            try await writer.finish(nil)
        })
    }
}
