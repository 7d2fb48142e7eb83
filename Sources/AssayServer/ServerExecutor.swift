import NIOCore
import NIOPosix

/// Where `assay serve` runs its Swift concurrency jobs.
///
/// By default Swift runs async work on its own thread pool while NIO (Hummingbird's server and
/// the upstream HTTP client) runs I/O on its event loops, so every request hops between the two
/// several times: in, to the handler, to the client, back. Installing NIO's event loops as the
/// global executor runs both on the same threads and removes those hops (measured in
/// `Benchmarks/`: proxy-overhead). The price: blocking work on a task now blocks an event loop,
/// which is why only `assay serve` — whose handlers never block — does it.
public enum ServerExecutor {
    /// Makes NIO's singleton event loop group Swift concurrency's global executor. Call it once,
    /// first thing in the process, before any task is started; false where NIO cannot install it.
    @discardableResult
    public static func installEventLoopsAsGlobalExecutor() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
