import AssayCore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// `assay serve` against an upstream that does not answer in time: the next candidate is tried
/// after `serve.attempt_timeout_seconds`, and nothing is tried past `serve.deadline_seconds`.
@Suite("Serve timeouts", .serialized)
struct ServeTimeoutTests {
    @Test("a candidate that has not answered within the attempt timeout is abandoned for the next; the request's deadline bounds them all")
    func timeouts() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        let directory = try Fixtures.temporaryDirectory()
        @Sendable func config(one: Int, two: Int, serve: String) throws {
            try ServeFixture.write("""
                providers:
                  one: {type: openai, base_url: "http://127.0.0.1:\(one)/v1", max_retries: 0}
                  two: {type: openai, base_url: "http://127.0.0.1:\(two)/v1", max_retries: 0}
                models:
                  - {id: one/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                  - {id: two/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                serve: \(serve)
                """, to: directory)
        }
        let body = #"{"model": "auto:classification", "messages": [{"role": "user", "content": \#(JSONValue.string(classification.items[0].renderedPrompt).jsonText)}]}"#
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { fast in
            try config(one: fast, two: fast, serve: "{}")
            #expect(try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory).status == 0)
            #expect(try await AssayProcess.runDetached(["catalog", "build"], in: directory).status == 0)
            let chosen: String = try await {
                let (server, port) = try ServeTests.startServer(in: directory)
                defer { server.terminate() }
                return try await Fixtures.withClient { client in
                    try #require(JSONValue(parsing: try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/route", body).body)?
                        .objectValue?["model"]?.stringValue)
                }
            }()
            // Limits of seconds, not fractions: the fast simulator must answer within the attempt
            // timeout while the whole test run shares two cores (a CI run missed a 1 s one).
            try await Fixtures.withLiveSimulator(fixedLatencyMs: 12_000) { slow in
                // The decision's first choice answers in 12 s; after 3 s the other is asked.
                try config(one: chosen.hasPrefix("one/") ? slow : fast, two: chosen.hasPrefix("one/") ? fast : slow,
                           serve: "{attempt_timeout_seconds: 3}")
                let (server, port) = try ServeTests.startServer(in: directory)
                defer { server.terminate() }
                try await Fixtures.withClient { client in
                    let started = ContinuousClock.now
                    let answer = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/chat/completions", body)
                    #expect(answer.status == 200, "\(answer.body)")
                    #expect(started.duration(to: .now) < .seconds(11), "the slow candidate (12 s) was abandoned, not waited for")
                    #expect(JSONValue(parsing: answer.body)?.objectValue?["model"]?.stringValue != chosen)
                    #expect(answer.headers["x-assay-route"]?.contains("after: \(chosen): timeout") == true, "\(answer.headers)")
                }
                server.terminate()

                // Both slow, a 5 s deadline: a 502 after about 5 s, naming the deadline.
                try config(one: slow, two: slow, serve: "{attempt_timeout_seconds: 4, deadline_seconds: 5}")
                let (bounded, boundedPort) = try ServeTests.startServer(in: directory)
                defer { bounded.terminate() }
                try await Fixtures.withClient { client in
                    let started = ContinuousClock.now
                    let failed = try await Fixtures.post(client, "http://127.0.0.1:\(boundedPort)/v1/chat/completions", body)
                    let elapsed = started.duration(to: .now)
                    #expect(failed.status == 502 && failed.body.contains("timeout"), "\(failed.body)")
                    #expect(elapsed >= .milliseconds(4_900) && elapsed < .seconds(11), "\(elapsed)")
                }
            }
        }
    }
}
