import AssayCore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `assay serve` started as users start it, in front of the live simulator, with a catalog
/// built from a real run; driven by raw HTTP and by the official `openai` Python SDK.
@Suite("Serve", .serialized)
struct ServeTests {
    /// Starts `assay serve --port 0` and returns the process and the port it printed.
    static func startServer(in directory: String, stderrFile: String? = nil, environment: [String: String] = [:]) throws -> (Process, Int) {
        let (process, line) = try AssayProcess.startReadingFirstLine(["serve", "--port", "0"], in: directory, stderrFile: stderrFile,
                                                                     environment: environment)
        let port = try #require(line.split(separator: ":").dropFirst(2).first?.split(separator: "/").first.flatMap { Int($0) }, "\(line)")
        return (process, port)
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> String {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
        return String(buffer: try await response.body.collect(upTo: 1 << 22))
    }

    @Test("routed, streamed and passed-through completions; decisions, model list, OpenAI-shaped errors; a bad catalog is rejected and the old one kept")
    func serve() async throws {
        let math = try #require(try Fixtures.shippedSuites().first { $0.task == "math" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try await ServeFixture.measured("""
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: sim/pebble-1, efforts: [none], price: {input: "0.02", output: "0.08"}}
                  - {id: sim/finch, efforts: [low, medium], price: {input: "0.50", output: "2.00"}}
                run: {concurrency: 8}
                """, suites: ["math", "classification"])

            let (server, serverPort) = try Self.startServer(in: directory)
            defer { server.terminate() }
            let base = "http://127.0.0.1:\(serverPort)/v1"
            try await Fixtures.withClient { client in
                let models = try await client.execute(HTTPClientRequest(url: base + "/models"), timeout: .seconds(30))
                let modelList = String(buffer: try await models.body.collect(upTo: 1 << 20))
                #expect(modelList.contains("\"auto:math\"") && modelList.contains("\"sim/finch\""))

                let prompt = math.items[0].renderedPrompt
                let body = #"{"model": "auto", "messages": [{"role": "user", "content": \#(JSONValue.string(prompt).jsonText)}]}"#
                let route = try await Fixtures.post(client, base + "/route", body)
                #expect(route.status == 200)
                let decision = try #require(JSONValue(parsing: route.body)?.objectValue)
                #expect(decision["task"] == .string("math") && decision["catalog_sha256"]?.stringValue?.count == 64)
                #expect(route.headers["x-assay-route"]?.isEmpty == false)

                let garbage = try await Fixtures.post(client, base + "/chat/completions", "{not json")
                #expect(garbage.status == 400)
                #expect(JSONValue(parsing: garbage.body)?.objectValue?["error"]?.objectValue?["code"] == .string("invalid_json"))
                let nowhere = try await Fixtures.post(client, base + "/completions", "{}")
                #expect(nowhere.status == 404)
                #expect(JSONValue(parsing: nowhere.body)?.objectValue?["error"]?.objectValue?["code"] == .string("unknown_url"), "\(nowhere.body)")
                let wrongMethod = try await client.execute(HTTPClientRequest(url: base + "/chat/completions"), timeout: .seconds(60))
                let wrongMethodBody = String(buffer: try await wrongMethod.body.collect(upTo: 1 << 20))
                #expect(wrongMethod.status.code >= 400 && JSONValue(parsing: wrongMethodBody)?.objectValue?["error"] != nil, "\(wrongMethodBody)")
                let noTask = try await Fixtures.post(client, base + "/chat/completions", #"{"model": "auto:poetry", "messages": [{"role": "user", "content": "hi"}]}"#)
                #expect(noTask.status == 400 && noTask.body.contains("poetry"))

                // The official SDK, routed, streamed, passed through, refused.
                let script = Fixtures.repoRoot + "/Tests/AssayCLITests/Scripts/openai_client.py"
                let python = try await AssayProcess.runDetachedTool("/usr/bin/env", ["python3", script, base, prompt])
                #expect(python.status == 0, "\(python.stderr)")
                let seen = try #require(JSONValue(parsing: python.stdout)?.objectValue, "\(python.stdout) \(python.stderr)")
                #expect(seen["routed_model"]?.stringValue?.hasPrefix("sim/") == true)
                #expect(seen["routed_text"]?.stringValue?.isEmpty == false)
                #expect(seen["routed_header"]?.stringValue?.contains("catalog") == true)
                #expect((seen["routed_usage"]?.numberValue ?? 0) > 0)
                #expect(seen["streamed_text"]?.stringValue?.isEmpty == false && (seen["streamed_usage"]?.numberValue ?? 0) > 0)
                #expect(seen["passthrough_model"] == .string("sim/pebble-1"))
                #expect(seen["unknown_model"] == .string("model_not_found"))

                // The official Anthropic SDK against /v1/messages (its base URL has no /v1).
                let anthropicScript = Fixtures.repoRoot + "/Tests/AssayCLITests/Scripts/anthropic_client.py"
                let claude = try await AssayProcess.runDetachedTool("/usr/bin/env", ["python3", anthropicScript, "http://127.0.0.1:\(serverPort)", prompt])
                #expect(claude.status == 0, "\(claude.stderr)")
                let heard = try #require(JSONValue(parsing: claude.stdout)?.objectValue, "\(claude.stdout) \(claude.stderr)")
                #expect(heard["routed_model"]?.stringValue?.hasPrefix("sim/") == true)
                #expect(heard["routed_text"]?.stringValue?.isEmpty == false && heard["routed_header"]?.stringValue?.contains("catalog") == true)
                #expect((heard["output_tokens"]?.numberValue ?? 0) > 0)
                #expect(heard["streamed_text"]?.stringValue?.isEmpty == false && heard["streamed_stop"] == .string("end_turn"))
                #expect((heard["streamed_output_tokens"]?.numberValue ?? 0) > 0)
                #expect(heard["unknown_task"] == .string("invalid_request_error"))

                // A malformed catalog is rejected; the server keeps routing on the old snapshot.
                try "{ broken".write(toFile: directory + "/catalog/catalog.json", atomically: true, encoding: .utf8)
                try await Task.sleep(for: .milliseconds(2_500))
                let after = try await Fixtures.post(client, base + "/route", body)
                #expect(after.status == 200 && JSONValue(parsing: after.body)?.objectValue?["catalog_sha256"] == decision["catalog_sha256"])

                // Prometheus metrics: requests by endpoint and status, decisions, the rejected catalog.
                let metrics = try await Self.get(client, "http://127.0.0.1:\(serverPort)/metrics")
                #expect(metrics.contains(#"assay_requests_total{endpoint="chat_completions",status="400"} 2"#), "\(metrics)")
                #expect(metrics.contains(#"assay_requests_total{endpoint="messages",status="200"}"#))
                #expect(metrics.contains("assay_route_decisions_total{") && metrics.contains("assay_upstream_duration_seconds_bucket{"))
                #expect(metrics.contains(#"assay_catalog_reloads_total{result="rejected"} 1"#))
            }
        }
    }

    @Test("an upstream that fails before answering falls back to the decision's next candidate; all failing is a 502 naming each")
    func fallback() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try Fixtures.temporaryDirectory()
            func config(_ first: Int, _ second: Int) throws {
                try ServeFixture.write("""
                    providers:
                      one: {type: openai, base_url: "http://127.0.0.1:\(first)/v1", max_retries: 0}
                      two: {type: openai, base_url: "http://127.0.0.1:\(second)/v1", max_retries: 0}
                    models:
                      - {id: one/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                      - {id: two/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                    """, to: directory)
            }
            try config(port, port)
            #expect(try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory).status == 0)
            #expect(try await AssayProcess.runDetached(["catalog", "build"], in: directory).status == 0)
            let prompt = classification.items[0].renderedPrompt
            let body = #"{"model": "auto:classification", "messages": [{"role": "user", "content": \#(JSONValue.string(prompt).jsonText)}]}"#

            // Whichever provider the decision picks first is made unreachable (port 1).
            let chosen: String = try await {
                let (server, serverPort) = try Self.startServer(in: directory)
                defer { server.terminate() }
                return try await Fixtures.withClient { client in
                    let route = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/route", body)
                    return try #require(JSONValue(parsing: route.body)?.objectValue?["model"]?.stringValue)
                }
            }()
            if chosen.hasPrefix("one/") { try config(1, port) } else { try config(port, 1) }
            let (server, serverPort) = try Self.startServer(in: directory)
            defer { server.terminate() }
            try await Fixtures.withClient { client in
                let answer = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/chat/completions", body)
                #expect(answer.status == 200, "\(answer.body)")
                let answered = JSONValue(parsing: answer.body)?.objectValue?["model"]?.stringValue
                #expect(answered != nil && answered != chosen, "the fallback answered, not \(chosen)")
                #expect(answer.headers["x-assay-route"]?.contains("after: \(chosen): unreachable") == true, "\(answer.headers)")
                let metrics = try await Self.get(client, "http://127.0.0.1:\(serverPort)/metrics")
                #expect(metrics.contains("assay_fallbacks_total{from_model=\"\(chosen)\"} 1"), "\(metrics)")
                // Streamed, the fallback happens before anything is sent: the client sees one clean stream.
                let streamed = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/chat/completions",
                                                   body.replacingOccurrences(of: #"{"model""#, with: #"{"stream": true, "model""#))
                #expect(streamed.status == 200 && streamed.body.hasPrefix("data: {") && streamed.body.hasSuffix("data: [DONE]\n\n"), "\(streamed.body)")
                #expect(streamed.body.contains(#""model":"\#(answered ?? "?")""#) && !streamed.body.contains(#""error""#))
                #expect(streamed.headers["x-assay-route"]?.contains("after: \(chosen): unreachable") == true, "\(streamed.headers)")
            }
            server.terminate()
            try config(1, 1)
            let (dead, deadPort) = try Self.startServer(in: directory)
            defer { dead.terminate() }
            try await Fixtures.withClient { client in
                let failed = try await Fixtures.post(client, "http://127.0.0.1:\(deadPort)/v1/chat/completions", body)
                #expect(failed.status == 502)
                let error = JSONValue(parsing: failed.body)?.objectValue?["error"]?.objectValue
                #expect(error?["code"] == .string("upstream_failed") && error?["message"]?.stringValue?.contains("one/finch-mini") == true)
            }
        }
    }
}
