import Hummingbird
import NIOCore

/// A task executor that runs a task's jobs on one NIO event loop, so that a request's work stays
/// on the loop its connection lives on: reading the body, awaiting the upstream's answer (the
/// HTTP client prefers the loop it is called from for the upstream connection, so the answer
/// is read there too) and building the response resume on that loop instead of each await
/// hopping to the concurrency pool's threads and back.
final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Runs the rest of the chain (the ingress handlers) with a preference for the executor of the
/// connection's event loop (`EventLoopExecutor`); with `enabled` false it only passes through
/// (`ServerSettings.loopAffinity`, for the proxy-overhead benchmark's comparison row).
struct LoopAffinityMiddleware: RouterMiddleware {
    let enabled: Bool

    func handle(_ request: Request, context: AssayRequestContext,
                next: (Request, AssayRequestContext) async throws -> Response) async throws -> Response {
        guard enabled else { return try await next(request, context) }
        return try await withTaskExecutorPreference(EventLoopExecutor(context.channel.eventLoop)) {
            try await next(request, context)
        }
    }
}
