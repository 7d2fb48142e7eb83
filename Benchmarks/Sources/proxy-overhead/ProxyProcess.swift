import AssayProviders
import AssayServer
import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle

/// The proxy as `assay serve` runs it (the same application, provider adapter and HTTP client
/// settings), with provider `sim` pointed at the instant upstream.
enum ProxyProcess {
    static func run(arguments: [String]) async throws {
        guard let upstream = option("--upstream-port", in: arguments), let catalog = option("--catalog", in: arguments) else {
            throw BenchmarkError("usage: proxy-overhead proxy --upstream-port N --catalog PATH")
        }
        var logger = Logger(label: "assay.serve")
        logger.logLevel = .error
        let holder = try RouterHolder(path: catalog)
        let client = HTTPClientFactory.make(maxConnectionsPerHost: 64)
        let settings = ProviderSettings(name: "sim", kind: .openai, baseURL: "http://127.0.0.1:\(upstream)/v1",
                                        retry: RetryPolicy(maxAttempts: 1))
        let (app, watcher) = buildServerApplication(holder: holder, providers: ["sim": settings.adapter(client: client, logger: logger)],
                                                    host: "127.0.0.1", port: 0, logger: logger) { port in
            FileHandle.standardOutput.write(Data("\(port)\n".utf8))
        }
        try await ServiceGroup(services: [app, watcher], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
        try await client.shutdown()
    }
}
