import AssayCore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// `assay serve` stopping gracefully: SIGTERM while a request waits on a slow upstream lets it
/// finish, then the process exits 0.
@Suite("Serve drain", .serialized)
struct ServeDrainTests {
    @Test("SIGTERM drains: the request in flight completes with 200, then the server exits 0 and stops listening")
    func drain() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        let directory = try Fixtures.temporaryDirectory()
        @Sendable func config(_ port: Int) throws {
            try ServeFixture.write("""
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1", max_retries: 0}
                models:
                  - {id: sim/finch-mini, efforts: [minimal], price: {input: "0.10", output: "0.40"}}
                """, to: directory)
        }
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            try config(port)
            #expect(try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory).status == 0)
            #expect(try await AssayProcess.runDetached(["catalog", "build"], in: directory).status == 0)
        }
        // Served in front of an upstream that takes 3 s to answer.
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 3_000) { port in
            try config(port)
            let (server, serverPort) = try ServeTests.startServer(in: directory)
            defer { if server.isRunning { server.terminate() } }
            let body = #"{"model": "auto", "messages": [{"role": "user", "content": \#(JSONValue.string(classification.items[0].renderedPrompt).jsonText)}]}"#
            try await Fixtures.withClient { client in
                let started = ContinuousClock.now
                async let answer = Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/chat/completions", body)
                try await Task.sleep(for: .milliseconds(1_000))
                #expect(server.isRunning)
                kill(server.processIdentifier, SIGTERM)
                let response = try await answer
                #expect(response.status == 200, "the request in flight finished: \(response.body)")
                #expect(started.duration(to: .now) >= .milliseconds(2_900), "it waited for the upstream")
                await AssayProcess.waitForExit(server)
                #expect(server.terminationStatus == 0)
                let after = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(serverPort)/healthz"), timeout: .seconds(5))
                #expect(after == nil, "nothing listens after the drain")
            }
        }
    }
}
