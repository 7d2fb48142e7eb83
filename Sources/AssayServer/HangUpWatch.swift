import NIOCore
import NIOHTTPTypes
import Synchronization

/// What each connection's `ConnectionWatchHandler` reports to the handlers: the client hanging
/// up (a non-streamed request's work is then cancelled, so the upstream call stops and is paid
/// no further) and a request body that did not arrive in time.
///
/// The server allows half-closed connections, so the client's FIN is the hang-up signal (as
/// nginx takes it), or the connection dropping. HTTP/1 answers one request at a time per
/// connection, so each connection holds at most one piece of work to cancel; keep-alive is
/// untouched. Without a handler (in-process tests) work just runs.
final class HangUpWatch: Sendable {
    final class Slot: Sendable {
        /// Cancels the work now running on the connection; nil between requests.
        let cancel = Mutex<(@Sendable () -> Void)?>(nil)
        let hungUp = Atomic<Bool>(false)
        /// The request body was not whole within the body timeout (the connection is then closed).
        let bodyTimedOut = Atomic<Bool>(false)
    }

    private let slots = Mutex<[ObjectIdentifier: Slot]>([:])

    /// Runs `work` until it returns or the client of `channel` hangs up, whichever is first (then
    /// `work` is cancelled, and its result, whatever it makes of the cancellation, is returned).
    func run<T: Sendable>(on channel: any Channel, _ work: @escaping @Sendable () async -> T) async -> T {
        guard let slot = slot(channel) else { return await work() }
        let task = Task { await work() }
        slot.cancel.withLock { $0 = { task.cancel() } }
        if slot.hungUp.load(ordering: .acquiring) { task.cancel() }
        defer { slot.cancel.withLock { $0 = nil } }
        return await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }

    /// Whether the body of the request now read on `channel` ran out of time.
    func bodyTimedOut(_ channel: any Channel) -> Bool { slot(channel)?.bodyTimedOut.load(ordering: .acquiring) ?? false }

    func slot(_ channel: any Channel) -> Slot? { slots.withLock { $0[ObjectIdentifier(channel)] } }

    func opened(_ channel: any Channel) -> Slot {
        let slot = Slot()
        slots.withLock { $0[ObjectIdentifier(channel)] = slot }
        return slot
    }

    /// The client's side closed: cancel what runs, and whatever would start later.
    func hungUp(_ slot: Slot) {
        slot.hungUp.store(true, ordering: .releasing)
        slot.cancel.withLock { $0 }?()
    }

    func closed(_ channel: any Channel, _ slot: Slot) {
        hungUp(slot)
        slots.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Connections watched (closed connections leave none behind).
    var count: Int { slots.withLock { $0.count } }
}

/// Sits in each connection's pipeline after HTTP decoding: tells a `HangUpWatch` when the client
/// goes away, and closes the connection when a request's body is not whole within `bodyTimeout`
/// of its head (a client trickling a body holds a connection and a request slot no longer; as
/// nginx does, the connection is closed without an answer). Passes every part on unchanged.
final class ConnectionWatchHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    let watch: HangUpWatch
    let bodyTimeout: TimeAmount
    private var slot: HangUpWatch.Slot?
    private var bodyTimer: Scheduled<Void>?

    init(watch: HangUpWatch, bodyTimeout: TimeAmount) {
        self.watch = watch
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) { slot = watch.opened(context.channel) }

    func handlerRemoved(context: ChannelHandlerContext) { finish(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            bodyTimer?.cancel()
            let (slot, loop) = (slot, context.eventLoop)
            let close = loop.assumeIsolatedUnsafeUnchecked()
            bodyTimer = close.scheduleTask(in: bodyTimeout) { [weak self] in
                slot?.bodyTimedOut.store(true, ordering: .releasing)
                self?.bodyTimer = nil
                context.close(promise: nil)
            }
        case .end:
            bodyTimer?.cancel()
            bodyTimer = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, let slot { watch.hungUp(slot) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context)
        context.fireChannelInactive()
    }

    private func finish(_ context: ChannelHandlerContext) {
        bodyTimer?.cancel()
        bodyTimer = nil
        if let slot { watch.closed(context.channel, slot) }
        slot = nil
    }
}
