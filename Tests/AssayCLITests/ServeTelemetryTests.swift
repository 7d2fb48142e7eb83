import AssayCore
import AssaySimulator
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `assay serve` with a `telemetry:` section, started as users start it, exporting to a real
/// OTLP/HTTP receiver on loopback: one span per request, one per upstream attempt under it, the
/// GenAI attributes and the routing decision, a caller's trace joined, and nothing secret sent.
@Suite("Serve telemetry", .serialized)
struct ServeTelemetryTests {
    /// Two providers with the same model, measured on a healthy simulator; `serve` is then pointed
    /// at `upstream` (with `telemetry`) by rewriting the config.
    static func measured(healthy port: Int) async throws -> String {
        let directory = try Fixtures.temporaryDirectory()
        try ServeFixture.write(config(upstream: port), to: directory)
        #expect(try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory).status == 0)
        #expect(try await AssayProcess.runDetached(["catalog", "build"], in: directory).status == 0)
        return directory
    }

    static func config(upstream port: Int, extra: String = "") -> String {
        """
        providers:
          one: {type: openai, base_url: "http://127.0.0.1:\(port)/v1", max_retries: 0\(extra)}
          two: {type: openai, base_url: "http://127.0.0.1:\(port)/v1", max_retries: 0\(extra)}
        models:
          - {id: one/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
          - {id: two/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}

        """
    }

    static func body(_ prompt: String, model: String = "auto:classification") -> String {
        #"{"model": "\#(model)", "max_tokens": 300, "messages": [{"role": "user", "content": \#(JSONValue.string(prompt).jsonText)}]}"#
    }

    static let upstreamKey = "sk-sim-upstream-7f3a91", collectorToken = "Bearer otel-collector-5be2c0"
    static let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736", callerSpan = "00f067aa0ba902b7"

    @Test("a failed-over, a direct, a refused and a streamed request arrive as server spans with client spans per attempt, GenAI and decision attributes, the caller's trace, and no prompt or key")
    func spans() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        let prompt = classification.items[0].renderedPrompt
        // The upstream's first answer is a 500: the decision's first choice fails, its fallback answers.
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { healthy in
            let directory = try await Self.measured(healthy: healthy)
            try await Fixtures.withLiveSimulator(fixedLatencyMs: 1, apiKey: Self.upstreamKey, faults: [FaultRule(kind: .server(status: 500), first: 1)]) { faulty in
                try await OTLPReceiver.withRunning { receiver, collector in
                    try await Self.sendThree(directory: directory, upstream: faulty, collector: collector, prompt: prompt)
                    try await Self.checkSpans(receiver, prompt: prompt)
                }
            }
        }
    }

    /// Serves from `directory` through `upstream`, exporting to `collector`, and sends a request
    /// that fails over (with a caller's `traceparent`), one answered directly, one refused, and one streamed.
    static func sendThree(directory: String, upstream: Int, collector: Int, prompt: String) async throws {
        try ServeFixture.write(config(upstream: upstream, extra: ", api_key_env: ASSAY_TEST_UPSTREAM_KEY") + """
            telemetry:
              endpoint: http://127.0.0.1:\(collector)
              protocol: http/json
              service_name: assay-test
              headers_env: {Authorization: ASSAY_TEST_OTEL_AUTH}
            """, to: directory)
        let (server, port) = try ServeTests.startServer(in: directory, environment: [
            "ASSAY_TEST_UPSTREAM_KEY": upstreamKey, "ASSAY_TEST_OTEL_AUTH": collectorToken, "OTEL_BSP_SCHEDULE_DELAY": "100",
        ])
        defer { server.terminate() }
        let base = "http://127.0.0.1:\(port)/v1/chat/completions"
        let statuses = try await Fixtures.withClient { client in
            [try await Fixtures.post(client, base, body(prompt), headers: ["traceparent": "00-\(callerTrace)-\(callerSpan)-01"]).status,
             try await Fixtures.post(client, base, body(prompt)).status,
             try await Fixtures.post(client, base, body(prompt, model: "auto:no-such-task")).status,
             try await Fixtures.post(client, base, body(prompt).replacingOccurrences(of: #"{"model""#, with: #"{"stream": true, "model""#)).status]
        }
        #expect(statuses == [200, 200, 400, 200])
        // Stopping flushes what is still queued.
        server.terminate()
        await AssayProcess.waitForExit(server)
    }

    static func checkSpans(_ receiver: OTLPReceiver, prompt: String) async throws {
        let spans = try await receiver.waitFor { $0.filter { $0.kind == 2 }.count >= 4 && $0.filter { $0.kind == 3 }.count >= 4 }
        let servers = spans.filter { $0.kind == 2 }, clients = spans.filter { $0.kind == 3 }
        try #require(servers.count == 4 && clients.count == 4, "\(spans.map { ($0.name, $0.kind) })")

        // 1. Failed over: joins the caller's trace; two attempts under it, the first failed.
        let first = try #require(servers.first { $0.traceID == callerTrace }, "the caller's traceparent was not adopted: \(servers.map(\.traceID))")
        #expect(first.parentSpanID == callerSpan)
        #expect(first.name == "chat auto:classification" && first.statusCode != 2)
        #expect(first.resource["service.name"] == .string("assay-test"))
        let a = first.attributes
        #expect(a["gen_ai.operation.name"] == .string("chat") && a["gen_ai.request.model"] == .string("auto:classification"))
        #expect(a["gen_ai.provider.name"] == .string("openai") && a["gen_ai.response.model"]?.stringValue?.contains("finch-mini") == true, "\(a)")
        #expect((a["gen_ai.usage.input_tokens"]?.numberValue ?? 0) > 0 && (a["gen_ai.usage.output_tokens"]?.numberValue ?? 0) > 0, "\(a)")
        #expect(a["gen_ai.request.max_tokens"] == .number(300) && a["http.response.status_code"] == .number(200))
        #expect(a["assay.route.task"] == .string("classification") && a["assay.route.reason"]?.stringValue?.isEmpty == false)
        #expect(a["assay.route.fallbacks"] == .number(1) && a["assay.route.candidates"] == .number(2), "\(a)")
        #expect((a["assay.cost.nanodollars"]?.numberValue ?? 0) > 0 && a["assay.catalog.sha256"]?.stringValue?.count == 64, "\(a)")
        let attempts = clients.filter { $0.parentSpanID == first.spanID }
            .sorted { ($0.attributes["assay.attempt.index"]?.numberValue ?? 0) < ($1.attributes["assay.attempt.index"]?.numberValue ?? 0) }
        try #require(attempts.count == 2, "\(clients.map(\.parentSpanID)) under \(first.spanID)")
        #expect(attempts.allSatisfy { $0.traceID == callerTrace })
        #expect(attempts[0].statusCode == 2 && attempts[0].attributes["error.type"] == .string("server"), "\(attempts[0].attributes)")
        #expect(attempts[1].statusCode != 2 && attempts[1].attributes["assay.route.entry"] == a["assay.route.entry"])
        #expect(attempts[0].attributes["assay.route.entry"] != attempts[1].attributes["assay.route.entry"])
        #expect(attempts[1].attributes["gen_ai.usage.output_tokens"] == a["gen_ai.usage.output_tokens"])
        #expect(attempts.allSatisfy { $0.name == "chat finch-mini" && $0.attributes["gen_ai.request.model"] == .string("finch-mini") })

        // 2. Direct: a new trace, one attempt.
        let second = try #require(servers.first {
            $0.traceID != callerTrace && $0.attributes["http.response.status_code"] == .number(200) && $0.attributes["gen_ai.request.stream"] == .bool(false)
        })
        #expect(second.parentSpanID.isEmpty && second.attributes["assay.route.fallbacks"] == .number(0))
        #expect(clients.filter { $0.parentSpanID == second.spanID }.count == 1)

        // 4. Streamed: the span ends when the stream does, with the stream's usage.
        let streamed = try #require(servers.first { $0.attributes["gen_ai.request.stream"] == .bool(true) })
        #expect(streamed.attributes["http.response.status_code"] == .number(200) && (streamed.attributes["gen_ai.usage.output_tokens"]?.numberValue ?? 0) > 0,
                "\(streamed.attributes)")
        #expect(clients.filter { $0.parentSpanID == streamed.spanID }.count == 1)

        // 3. Refused before routing: an error span with the status and code, no attempts.
        let third = try #require(servers.first { $0.attributes["http.response.status_code"] == .number(400) })
        #expect(third.statusCode == 2 && third.attributes["error.type"] == .string("unknownTask"), "\(third.attributes)")
        #expect(clients.allSatisfy { $0.parentSpanID != third.spanID })

        // Nothing the client or the operator must keep private left the proxy; the collector's token went as a header only.
        let exports = receiver.exports
        #expect(exports.allSatisfy { $0.contentType == "application/json" && $0.headers["authorization"] == collectorToken })
        let everything = exports.map(\.body).joined()
        let promptPiece = String(prompt.prefix(40))
        #expect(!everything.contains(promptPiece) && !everything.contains(String(JSONValue.string(promptPiece).jsonText.dropFirst().dropLast())))
        #expect(!everything.contains(upstreamKey) && !everything.contains("otel-collector-5be2c0"))
    }

    @Test("an unreachable collector neither fails nor holds up requests: the spans are dropped, counted in /metrics and logged once")
    func unreachableCollector() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try await Self.measured(healthy: port)
            // Port 1 on loopback: nothing listens, every export is refused at once.
            try ServeFixture.write(Self.config(upstream: port) + "telemetry: {endpoint: 'http://127.0.0.1:1'}\n", to: directory)
            let stderr = directory + "/serve.stderr"
            // An export waits for its connection up to the export timeout (10 s unless set): the standard variable shortens it.
            let (server, serverPort) = try ServeTests.startServer(in: directory, stderrFile: stderr,
                                                                  environment: ["OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_EXPORTER_OTLP_TIMEOUT": "500"])
            defer { server.terminate() }
            try await Fixtures.withClient { client in
                for item in classification.items.prefix(6) {
                    let answer = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/chat/completions", Self.body(item.renderedPrompt))
                    #expect(answer.status == 200, "\(answer.body)")
                    try await Task.sleep(for: .milliseconds(150))
                }
                var dropped = 0.0
                for _ in 0..<100 where dropped < 6 {
                    let metrics = try await ServeTests.get(client, "http://127.0.0.1:\(serverPort)/metrics")
                    let line = metrics.split(separator: "\n").first { $0.hasPrefix(#"assay_otel_spans_dropped_total{reason="export_failed"}"#) }
                    dropped = line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
                    if dropped < 6 { try await Task.sleep(for: .milliseconds(200)) }
                }
                // Six requests, each a server span and an attempt span: at least the server spans are counted.
                #expect(dropped >= 6, "assay_otel_spans_dropped_total stayed at \(dropped)")
            }
            let log = try String(contentsOfFile: stderr, encoding: .utf8)
            let warnings = log.components(separatedBy: "spans could not be delivered to the OTLP collector").count - 1
            #expect(warnings == 1, "\(log)")
        }
    }

    @Test("a collector header whose environment variable is not set stops serve before it listens, naming the variable")
    func missingHeaderVariable() async throws {
        let directory = try Fixtures.temporaryDirectory()
        try ServeFixture.write(Self.config(upstream: 1) + """
            telemetry:
              endpoint: http://127.0.0.1:4318
              headers_env: {Authorization: ASSAY_TEST_UNSET_OTEL_TOKEN}
            """, to: directory)
        try FileManager.default.createDirectory(atPath: directory + "/catalog", withIntermediateDirectories: true)
        let result = try await AssayProcess.runDetached(["serve", "--port", "0"], in: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("telemetry.headers_env.Authorization names ASSAY_TEST_UNSET_OTEL_TOKEN, which is not set"), "\(result.stderr)")
    }
}
