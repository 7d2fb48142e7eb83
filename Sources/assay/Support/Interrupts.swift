import Dispatch
import Foundation

/// Runs `body` so that Ctrl-C or SIGTERM cancels it instead of killing the process: the runner
/// stops sending, stores what finished and marks the run interrupted. A second signal exits at
/// once (status 130); samples already stored are kept either way.
func cancellingOnSignals<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await body() }
    let signals = [SIGINT, SIGTERM]
    for signalNumber in signals { signal(signalNumber, SIG_IGN) }
    let sources = signals.map { signalNumber in
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        let seen = SignalCount()
        source.setEventHandler {
            if seen.increment() > 1 { exit(130) }
            FileHandle.standardError.write(Data("\nassay: interrupted; finishing in-flight requests (again to quit now)\n".utf8))
            task.cancel()
        }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        for signalNumber in signals { signal(signalNumber, SIG_DFL) }
    }
    return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
}

/// How many times a signal has arrived.
private final class SignalCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
