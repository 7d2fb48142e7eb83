import AssayProviders
import FuzzSupport

/// One fuzz input as a provider's event stream: the first byte picks how the bytes are cut into
/// network chunks, the rest is the stream. Checks that
/// - the SSE parser yields the same events and partial state however the bytes are cut;
/// - the decoder's answer text is exactly the text pieces it handed on, and time to first
///   token is the clock's reading.
public func fuzzStream<D: StreamDecoder>(_ decoder: D.Type, _ input: UnsafeBufferPointer<UInt8>) {
    let (selector, stream) = split(input)
    var whole = SSEParser()
    let expected = whole.feed(stream)
    var cut = SSEParser()
    var payloads: [String] = []
    for piece in chunks(stream, sizes: [1 + Int(selector & 7), 1 + Int(selector >> 3)]) { payloads += cut.feed(piece) }
    require(payloads == expected, "chunking changed the events: \(payloads) vs \(expected)")
    require(cut.hasPartialEvent == whole.hasPartialEvent, "chunking changed the partial-event state")

    var decoder = D()
    var text = ""
    do {
        for payload in payloads {
            for delta in try decoder.consume(payload, elapsedMs: { 7 }) {
                if case .text(let piece) = delta { text += piece }
            }
        }
        let answer = try decoder.finish(partial: cut.hasPartialEvent)
        require(answer.text == text, "the answer's text is not the text handed on: \(answer.text.debugDescription) vs \(text.debugDescription)")
        require(answer.ttftMs == nil || answer.ttftMs == 7, "time to first token \(String(describing: answer.ttftMs)) is not the clock's")
    } catch {
        // A malformed or truncated stream is refused with a ProviderError: the expected outcome.
    }
}
