/// Splits a server-sent-events byte stream into the `data:` payloads of its events.
///
/// Bytes arrive in arbitrary chunks; an event ends at a blank line. Only `data` fields are
/// kept (several `data:` lines of one event are joined with newlines); comments and other
/// fields are ignored, as the providers' streams need nothing else.
public struct SSEParser: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Feeds bytes; returns the payloads of the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        pending.append(contentsOf: bytes)
        var events: [String] = []
        while let end = eventEnd() {
            let raw = String(decoding: pending[..<end.start], as: UTF8.self)
            pending.removeFirst(end.next)
            let data = raw.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .compactMap { line -> Substring? in
                    guard line.hasPrefix("data:") else { return nil }
                    let value = line.dropFirst(5)
                    return value.first == " " ? value.dropFirst() : value
                }
            if !data.isEmpty { events.append(data.joined(separator: "\n")) }
        }
        return events
    }

    /// Bytes received that do not yet end an event (a stream cut mid-event leaves them here).
    public var hasPartialEvent: Bool { pending.contains { $0 != 10 && $0 != 13 } }

    /// Where the first blank line is: the event's end and where the next one starts.
    private func eventEnd() -> (start: Int, next: Int)? {
        var index = 0
        while index + 1 < pending.count {
            if pending[index] == 10 && pending[index + 1] == 10 { return (index, index + 2) }
            if index + 3 < pending.count, pending[index] == 13, pending[index + 1] == 10, pending[index + 2] == 13, pending[index + 3] == 10 {
                return (index, index + 4)
            }
            index += 1
        }
        return nil
    }
}
