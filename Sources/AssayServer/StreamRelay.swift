import AssayCore
import AssayProviders
import Foundation
import HTTPTypes
import Synchronization

/// Streams one request upstream and hands each piece on as it arrives. Candidates are tried
/// in order until one sends its first piece; after that the stream is committed to it, and a
/// failure ends the stream with an error event instead of falling back (the client already
/// has part of an answer).
struct StreamRelay: Sendable {
    /// What follows the first piece.
    enum Event: Sendable {
        case delta(ChatDelta)
        case finished(ChatResponse)
        case failed(ProviderError)
    }

    /// The committed candidate and the rest of its stream.
    struct Committed: Sendable {
        var target: ProxyHandlers.Target
        /// Targets that failed before this one.
        var fallbacks: Int
        var explanation: String
        /// The first piece and everything after it, ending with `finished` or `failed`.
        var events: AsyncStream<Event>
        /// Stops the upstream call: the writer calls it when it stops, whether the stream ended or
        /// the client went away (a failed write), so an abandoned answer is not paid to the end.
        var cancel: @Sendable () -> Void = {}
    }

    /// Who got there first: the candidate's first piece (the stream is committed to it) or the
    /// attempt timeout (the candidate is abandoned and its later pieces dropped).
    final class Latch: Sendable {
        private enum State { case waiting, committed, abandoned }
        private let state = Mutex(State.waiting)

        /// What to do with a piece that just arrived.
        enum Piece { case first, later, dropped }

        func piece() -> Piece {
            state.withLock { state in
                switch state {
                case .waiting: state = .committed; return .first
                case .committed: return .later
                case .abandoned: return .dropped
                }
            }
        }

        /// The timeout's side: true when no piece came, and none will be taken from now on.
        func abandonIfWaiting() -> Bool {
            state.withLock { state in
                guard state == .waiting else { return false }
                state = .abandoned
                return true
            }
        }

        var isCommitted: Bool { state.withLock { $0 == .committed } }
    }
}

extension ProxyHandlers {
    /// Starts streaming `ask` to `targets` and returns once a target has sent its first piece (or
    /// answered empty); throws when every target failed before sending anything.
    func relay(_ ask: Ask, targets: Targets) async throws(Refusal) -> StreamRelay.Committed {
        let (events, sink) = AsyncStream.makeStream(of: StreamRelay.Event.self)
        let (heads, headSink) = AsyncStream.makeStream(of: Result<StreamRelay.Committed, Refusal>.self)
        let producer = Task { await runRelay(ask, targets: targets, events: events, sink: sink, head: headSink) }
        sink.onTermination = { _ in producer.cancel() }
        for await head in heads {
            var committed = try head.get()
            committed.cancel = { producer.cancel() }
            return committed
        }
        producer.cancel()
        throw .cancelled
    }

    /// The walk, streamed: each target is asked to stream; its first piece commits the stream to
    /// it (the head), and a failure after that ends the stream with an error event.
    private func runRelay(_ ask: Ask, targets: Targets, events: AsyncStream<StreamRelay.Event>,
                          sink: AsyncStream<StreamRelay.Event>.Continuation,
                          head: AsyncStream<Result<StreamRelay.Committed, Refusal>>.Continuation) async {
        defer {
            sink.finish()
            head.finish()
        }
        do throws(WalkFailure) {
            let (answer, _, _) = try await walk(targets) { target, provider, remaining, failures throws(AttemptError) in
                let committed = StreamRelay.Committed(target: target, fallbacks: failures.count,
                                                      explanation: explanation(targets, answeredBy: target, after: failures), events: events)
                let latch = StreamRelay.Latch()
                let request = ask.chatRequest(model: target.model.model, effort: target.effort)
                do throws(ProviderError) {
                    // Until its first piece a target has the attempt timeout; after, what is left of the deadline.
                    let answer = try await withinLimits(firstPiece: min(settings.attemptTimeout, remaining), whole: remaining,
                                                        abandonIfWaiting: latch.abandonIfWaiting) { () async throws(ProviderError) -> ChatResponse in
                        try await provider.streamAnswer(request) { delta in
                            switch latch.piece() {
                            case .first: head.yield(.success(committed))
                            case .later: break
                            case .dropped: return
                            }
                            // A usage piece straight from the upstream is clamped like a whole answer's.
                            if case .usage(let usage) = delta { sink.yield(.delta(.usage(usage.clamped.usage))) } else { sink.yield(.delta(delta)) }
                        }
                    }
                    if latch.piece() == .first { head.yield(.success(committed)) }
                    return answer
                } catch {
                    throw latch.isCommitted ? .brokeOff(error) : .failed(error)
                }
            }
            sink.yield(.finished(answer))
        } catch {
            if error.cancelled { return }
            if let brokeOff = error.brokeOff { sink.yield(.failed(brokeOff)) } else { head.yield(.failure(error.refusal)) }
        }
    }
}
