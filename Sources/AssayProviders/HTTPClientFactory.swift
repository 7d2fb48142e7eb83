import AsyncHTTPClient
import NIOCore

/// Builds the one long-lived HTTP client a process uses for model APIs, with a connection pool
/// large enough for the run's concurrency (the library's default is 8 per host).
public enum HTTPClientFactory {
    public static func make(maxConnectionsPerHost: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, maxConnectionsPerHost))
        configuration.timeout = .init(connect: .seconds(10))
        configuration.decompression = .enabled(limit: .ratio(20))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
