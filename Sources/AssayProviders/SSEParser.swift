/// Splits a server-sent-events byte stream into the `data:` payloads of its events.
///
/// Bytes arrive in arbitrary chunks. The parser works line by line on the bytes (LF or CRLF
/// endings); an event ends at a blank line. Only `data` fields are kept (several `data:` lines of
/// one event are joined with newlines); comments and other fields are ignored, as the providers'
/// streams need nothing else. Consumed bytes are dropped once per `feed`, so the cost is linear
/// in the stream's length.
public struct SSEParser: Sendable {
    private var pending: [UInt8] = []
    private var data: [String] = []
    private var eventStarted = false

    public init() {}

    /// Feeds bytes; returns the payloads of the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        pending.append(contentsOf: bytes)
        var events: [String] = []
        var lineStart = 0
        while let newline = pending[lineStart...].firstIndex(of: 10) {
            var lineEnd = newline
            if lineEnd > lineStart, pending[lineEnd - 1] == 13 { lineEnd -= 1 }
            if lineEnd == lineStart {
                if !data.isEmpty { events.append(data.joined(separator: "\n")) }
                data.removeAll(keepingCapacity: true)
                eventStarted = false
            } else {
                eventStarted = true
                if Self.isData(pending, from: lineStart, to: lineEnd) {
                    var valueStart = lineStart + 5
                    if valueStart < lineEnd, pending[valueStart] == 32 { valueStart += 1 }
                    data.append(String(decoding: pending[valueStart..<lineEnd], as: UTF8.self))
                }
            }
            lineStart = newline + 1
        }
        if lineStart > 0 { pending.removeFirst(lineStart) }
        return events
    }

    /// Bytes received that do not yet end an event (a stream cut mid-event leaves them here).
    public var hasPartialEvent: Bool { eventStarted || pending.contains { $0 != 10 && $0 != 13 } }

    /// Whether the line starts with `data:`.
    private static func isData(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        end - start >= 5 && bytes[start] == 100 && bytes[start + 1] == 97 && bytes[start + 2] == 116 && bytes[start + 3] == 97
            && bytes[start + 4] == 58
    }
}
