import AssayCore
import AssaySimulator
import AssaySuites
import Foundation
import Logging

/// Paths and fixtures shared by the test targets.
package enum Fixtures {
    /// The repository root (found from this file's location).
    package static var repoRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("no Package.swift above \(#filePath)")
    }

    package static var suitesDirectory: String { repoRoot + "/suites" }

    package static func shippedSuites() throws -> [Suite] { try SuiteLoader.loadAll(directory: suitesDirectory) }

    /// A fresh empty directory under the system temp folder.
    package static func temporaryDirectory(_ label: String = "assay-test") throws -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to a new file in a temporary directory and returns its path.
    package static func file(named name: String, contents text: String) throws -> String {
        let path = try temporaryDirectory() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    package static var quietLogger: Logger {
        var logger = Logger(label: "assay.test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with the built-in zoo served on a free loopback port.
    package static func withLiveSimulator<T: Sendable>(
        suites: [Suite]? = nil, fixedLatencyMs: Double? = nil, apiKey: String? = nil, faults: [FaultRule] = [],
        chunkDelayMs: Double? = nil, _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let engine = SimulatorEngine(zoo: try Zoo.builtIn(), suites: try suites ?? shippedSuites())
        return try await SimulatorHost.withRunning(
            engine: engine, configuration: SimulatorConfiguration(port: 0, fixedLatencyMs: fixedLatencyMs, apiKey: apiKey, faults: faults,
                                                                  chunkDelayMs: chunkDelayMs),
            logger: quietLogger, body)
    }
}

import AsyncHTTPClient
import AssayProviders
import NIOCore

extension Fixtures {
    /// Runs `body` with an HTTP client that is shut down afterwards, even on failure.
    package static func withClient<T: Sendable>(connections: Int = 8, _ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClientFactory.make(maxConnectionsPerHost: connections)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// POSTs a JSON `body` (with `headers`) and returns the status, the response headers (names
    /// lowercased) and the body, read whole.
    package static func post(_ client: HTTPClient, _ url: String, _ body: String,
                            headers extra: [String: String] = [:]) async throws -> (status: UInt, headers: [String: String], body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return (response.status.code, headers, text)
    }

    /// The `ProviderError` `body` throws, or nil when it succeeds.
    package static func providerError(_ body: () async throws(ProviderError) -> Void) async -> ProviderError? {
        do { try await body() } catch { return error }
        return nil
    }
}

extension Fixtures {
    /// Config lines for two priced zoo models behind the simulator at `port`, with its pricing
    /// page as the one pricing source: what the nightly tests run. `provider` adds lines under
    /// the provider (e.g. a `discover:` rule).
    package static func nightlyConfig(port: Int, provider: [String] = []) -> String {
        ([
            "providers:",
            "  sim:",
            "    type: openai",
            "    base_url: \"http://127.0.0.1:\(port)/v1\"",
        ] + provider.map { "    " + $0 } + [
            "models:",
            "  - {id: sim/pebble-1, efforts: [none], price: {input: \"0.02\", output: \"0.08\"}}",
            "  - {id: sim/finch-mini, efforts: [low], price: {input: \"0.10\", output: \"0.40\"}}",
            "pricing:",
            "  sources:",
            "    - {name: sim-page, url: \"http://127.0.0.1:\(port)/pricing\", extractor: simulator, provider: sim}",
        ]).joined(separator: "\n") + "\n"
    }
}
