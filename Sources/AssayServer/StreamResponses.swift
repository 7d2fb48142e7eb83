import AssayProviders
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// A relayed stream in one client's wire format: the text to send for each event.
protocol StreamWriter: SendableMetatype {
    mutating func piece(_ delta: ChatDelta) -> String
    mutating func finish(_ answer: ChatResponse) -> String
    mutating func failure(_ error: ProviderError) -> String
}

/// `stream: true` on either ingress: the relay's pieces written to the client as they arrive,
/// in the client's format. Refusals before the first piece are ordinary (thrown) error responses.
extension ProxyHandlers {
    /// A `text/event-stream` response, with the route header, that writes each of the relay's
    /// events as the writer `makeWriter` makes renders it.
    static func eventStream<Writer: StreamWriter>(_ committed: StreamRelay.Committed,
                                                  _ makeWriter: @escaping @Sendable () -> Writer) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", routeHeader: committed.explanation]
        return Response(status: .ok, headers: headers, body: ResponseBody { body in
            // A write that fails (the client went away) ends here too: stop the upstream call.
            defer { committed.cancel() }
            var writer = makeWriter()
            for await event in committed.events {
                let text = switch event {
                case .delta(let delta): writer.piece(delta)
                case .finished(let answer): writer.finish(answer)
                case .failed(let error): writer.failure(error)
                }
                try await body.write(ByteBuffer(string: text))
            }
            try await body.finish(nil)
        })
    }
}
