import NIOCore
import Synchronization

/// Cancels the work of a non-streamed request when its client hangs up, so the upstream call
/// stops (and is paid no further) instead of running to its answer or its time limit.
///
/// `HangUpHandler` sits in each connection's pipeline and reports the client's end of the
/// connection closing (a FIN: the server allows half-closed connections, so that is the signal,
/// as nginx takes it; or the connection dropping). HTTP/1 answers one request at a time per
/// connection, so each connection holds at most one piece of work to cancel; keep-alive is
/// untouched. Without a handler (in-process tests) work just runs.
final class HangUpWatch: Sendable {
    final class Slot: Sendable {
        /// Cancels the work now running on the connection; nil between requests.
        let cancel = Mutex<(@Sendable () -> Void)?>(nil)
        let hungUp = Atomic<Bool>(false)
    }

    private let slots = Mutex<[ObjectIdentifier: Slot]>([:])

    /// Runs `work` until it returns or the client of `channel` hangs up, whichever is first (then
    /// `work` is cancelled, and its result, whatever it makes of the cancellation, is returned).
    func run<T: Sendable>(on channel: any Channel, _ work: @escaping @Sendable () async -> T) async -> T {
        guard let slot = slots.withLock({ $0[ObjectIdentifier(channel)] }) else { return await work() }
        let task = Task { await work() }
        slot.cancel.withLock { $0 = { task.cancel() } }
        if slot.hungUp.load(ordering: .acquiring) { task.cancel() }
        defer { slot.cancel.withLock { $0 = nil } }
        return await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }

    func opened(_ channel: any Channel) {
        slots.withLock { $0[ObjectIdentifier(channel)] = Slot() }
    }

    /// The client's side closed: cancel what runs, and whatever would start later.
    func hungUp(_ channel: any Channel) {
        guard let slot = slots.withLock({ $0[ObjectIdentifier(channel)] }) else { return }
        slot.hungUp.store(true, ordering: .releasing)
        slot.cancel.withLock { $0 }?()
    }

    func closed(_ channel: any Channel) {
        hungUp(channel)
        slots.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Connections watched (closed connections leave none behind).
    var count: Int { slots.withLock { $0.count } }
}

/// Tells a `HangUpWatch` when its connection's client goes away; passes everything on unchanged.
final class HangUpHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let watch: HangUpWatch

    init(watch: HangUpWatch) { self.watch = watch }

    func handlerAdded(context: ChannelHandlerContext) { watch.opened(context.channel) }

    func handlerRemoved(context: ChannelHandlerContext) { watch.closed(context.channel) }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { watch.hungUp(context.channel) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch.closed(context.channel)
        context.fireChannelInactive()
    }
}
