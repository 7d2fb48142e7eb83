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
    /// events as the writer `makeWriter` makes renders it, and records the request in the traffic
    /// log when the stream ends (or the client leaves).
    func eventStream<Writer: StreamWriter>(_ committed: StreamRelay.Committed, trace: RequestTrace?,
                                           _ makeWriter: @escaping @Sendable () -> Writer) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", Self.routeHeader: committed.explanation]
        return Response(status: .ok, headers: headers, body: ResponseBody { body in
            var outcome = RequestTrace.Outcome.refused(.cancelled, committed.target)
            var firstWrite: ContinuousClock.Instant?
            // A write that fails (the client went away) ends here too: stop the upstream call.
            defer {
                committed.cancel()
                if case .answered(let answer, let target, let fallbacks, _) = outcome, let trace, let firstWrite {
                    outcome = .answered(answer, target, fallbacks: fallbacks, ttftMs: Self.milliseconds(trace.started.duration(to: firstWrite)))
                }
                record(trace, outcome)
            }
            var writer = makeWriter()
            for await event in committed.events {
                let text: String
                switch event {
                case .delta(let delta): text = writer.piece(delta)
                case .finished(let answer):
                    text = writer.finish(answer)
                    outcome = .answered(answer, committed.target, fallbacks: committed.fallbacks, ttftMs: nil)
                case .failed(let error):
                    text = writer.failure(error)
                    outcome = .refused(Refusal(502, "upstream_error", "\(committed.target.model) failed mid-answer: \(error.kind.rawValue)",
                                               code: "upstream_failed"), committed.target)
                }
                try await body.write(ByteBuffer(string: text))
                if firstWrite == nil && !text.isEmpty { firstWrite = .now }
            }
            try await body.finish(nil)
        })
    }
}
