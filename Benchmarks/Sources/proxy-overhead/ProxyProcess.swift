import AssayProviders
import AssayServer
import AssayTraffic
import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import Logging
import ServiceLifecycle

/// The proxy as `assay serve` runs it (the same application, provider adapter and HTTP client
/// settings), with provider `sim` pointed at the instant upstream; with `--traffic PATH`, also
/// the traffic log `serve.traffic` turns on, written to PATH and flushed on SIGTERM; with
/// `--loop-affinity`, requests' work stays on the connection's event loop
/// (`ServerSettings.loopAffinity`, the comparison row).
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
        var server = ServerSettings()
        server.loopAffinity = arguments.contains("--loop-affinity")
        server.traffic = try option("--traffic", in: arguments).map { TrafficLog(database: try TrafficDatabase(path: $0), logger: logger) }
        let (app, watcher) = buildServerApplication(holder: holder, providers: ["sim": settings.adapter(client: client, logger: logger)],
                                                    host: "127.0.0.1", port: 0, settings: server, logger: logger) { port in
            FileHandle.standardOutput.write(Data("\(port)\n".utf8))
        }
        // Stopped in reverse, as `assay serve` does: the watcher, the server (draining), then the log (writing the rest).
        let services: [any Service] = (server.traffic.map { [$0] } ?? []) + [app, watcher]
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
        try await client.shutdown()
    }
}
