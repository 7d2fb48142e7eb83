import AssayCore
import Logging
import ServiceLifecycle

/// Runs the simulator in-process for the duration of `body` (demo, tests, benchmarks), then
/// shuts it down gracefully. `body` receives the bound port (use port 0 for any free port).
public enum SimulatorHost {
    public static func withRunning<T: Sendable>(
        engine: SimulatorEngine, configuration: SimulatorConfiguration, logger: Logger,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = buildSimulatorApplication(engine: engine, configuration: configuration, logger: logger) { port in
            continuation.yield(port)
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll()
                throw AssayError(.io, "the simulator stopped before it started listening on \(configuration.host):\(configuration.port)",
                                 hint: "is the port already in use? try another --port")
            }
            do {
                let result = try await body(port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
