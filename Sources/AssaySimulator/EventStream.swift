import Foundation
import Hummingbird
import NIOCore

/// A server-sent-events response paced like a real model: the first event after half the
/// latency, the rest spread over the other half (or each `chunkDelayMs` after the one before,
/// when set). A cut stream stops after `cutAfter` events, mid-answer, with no closing event.
enum EventStream {
    static func response(events: [String], latencyMs: Double, cutAfter: Int?, chunkDelayMs: Double? = nil) -> Response {
        let sent = cutAfter.map { Array(events.prefix($0)) } ?? events
        let firstTokenDelay = latencyMs / 2
        let perEvent = chunkDelayMs ?? (sent.count > 1 ? (latencyMs - firstTokenDelay) / Double(sent.count - 1) : 0)
        let body = ResponseBody { writer in
            try await Task.sleep(for: .milliseconds(firstTokenDelay))
            for (index, event) in sent.enumerated() {
                if index > 0, perEvent > 0 { try await Task.sleep(for: .milliseconds(perEvent)) }
                try await writer.write(ByteBuffer(string: event))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// `data: <json>` (and `event: <name>` first, when given), ending the event.
    static func event(_ value: some Encodable, name: String? = nil) -> String {
        let json = String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
        return (name.map { "event: \($0)\n" } ?? "") + "data: " + json + "\n\n"
    }

    /// The answer in pieces of at most 16 characters, as models stream it.
    static func pieces(of text: String) -> [String] {
        var rest = Substring(text), pieces: [String] = []
        while !rest.isEmpty {
            let piece = rest.prefix(16)
            rest = rest.dropFirst(piece.count)
            pieces.append(String(piece))
        }
        return pieces
    }
}
