import AssayCore
import AssaySimulator
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `assay serve` translating between ingress and upstream formats (tools, tool results, stop
/// sequences) and relaying streams as they arrive, driven by the official SDKs. Upstreams are
/// one live simulator reached as three providers, one per wire format; its streams are slow
/// (250 ms between events) and its `finch` streams break off after the first piece.
@Suite("Serve translation and streaming", .serialized)
struct ServeTranslationTests {
    /// A served directory with a catalog built from a short run, and the simulator's port.
    static func withServer(_ body: @Sendable (_ serverPort: Int, _ simulatorPort: Int) async throws -> Void) async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1, faults: [FaultRule(kind: .cutStream, model: "finch")], chunkDelayMs: 250) { port in
            let directory = try Fixtures.temporaryDirectory()
            try """
                suites: \(Fixtures.suitesDirectory)
                providers:
                  oai: {type: openai, base_url: "http://127.0.0.1:\(port)/v1", max_retries: 0}
                  ant: {type: anthropic, base_url: "http://127.0.0.1:\(port)/v1", max_retries: 0}
                  gem: {type: gemini, base_url: "http://127.0.0.1:\(port)/v1beta", max_retries: 0}
                models:
                  - {id: oai/pebble-1, efforts: [none], price: {input: "0.02", output: "0.08"}}
                run: {concurrency: 8}
                serve: {passthrough: ["oai/*", "ant/*", "gem/*"]}
                """.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
            let run = try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try await AssayProcess.runDetached(["catalog", "build"], in: directory).status == 0)
            let (server, serverPort) = try ServeTests.startServer(in: directory)
            defer { server.terminate() }
            try await body(serverPort, port)
        }
    }

    static func python(_ script: String, _ arguments: [String]) async throws -> [String: JSONValue] {
        let path = Fixtures.repoRoot + "/Tests/AssayCLITests/Scripts/" + script
        let result = try await AssayProcess.runDetachedTool("/usr/bin/env", ["python3", path] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(JSONValue(parsing: result.stdout)?.objectValue, "\(result.stdout) \(result.stderr)")
    }

    static let paris = JSONValue.object(["city": .string("Paris")])

    @Test("tools, tool results and stop sequences cross formats: OpenAI SDK to Anthropic and Gemini upstreams, Anthropic SDK to an OpenAI upstream")
    func translation() async throws {
        try await Self.withServer { serverPort, _ in
            let openAI = try await Self.python("openai_tools.py", ["http://127.0.0.1:\(serverPort)/v1", "ant/pebble-1", "gem/pebble-1"])
            #expect(openAI["finish"] == .string("tool_calls"))
            let call = try #require(openAI["calls"]?.arrayValue?.first?.objectValue, "\(openAI)")
            #expect(call["name"] == .string("get_weather") && call["arguments"] == Self.paris)
            #expect(call["id"]?.stringValue?.hasPrefix("toolu_") == true, "the Anthropic upstream's id comes through")
            #expect(openAI["answer"] == .string("The get_weather tool returned: 18 degrees and sunny") && openAI["answer_finish"] == .string("stop"))
            #expect(openAI["streamed_names"] == .array([.string("get_weather")]) && openAI["streamed_arguments"] == Self.paris)
            #expect(openAI["streamed_finish"] == .string("tool_calls"))
            #expect(openAI["gemini_calls"] == .array([.string("get_weather")]))
            #expect(openAI["gemini_raw_content"] == .bool(true), "an answer with only tool calls says content: null")
            #expect(openAI["gemini_answer"] == .string("The get_weather tool returned: 18 degrees and sunny"),
                    "a call replayed without its thought signature goes back to Gemini with the documented dummy")
            let plain = try #require(openAI["plain"]?.stringValue)
            #expect(openAI["stopped"] == .string("I'm pebble-1, a ") && plain.hasPrefix("I'm pebble-1, a simulated"))
            #expect(openAI["stopped_finish"] == .string("stop"))

            let claude = try await Self.python("anthropic_tools.py", ["http://127.0.0.1:\(serverPort)", "oai/pebble-1", "ant/pebble-1"])
            #expect(claude["stop_reason"] == .string("tool_use"))
            let use = try #require(claude["tool_uses"]?.arrayValue?.first?.objectValue, "\(claude)")
            #expect(use["name"] == .string("get_weather") && use["input"] == Self.paris)
            #expect(claude["answer"] == .string("The get_weather tool returned: 18 degrees and sunny") && claude["answer_stop"] == .string("end_turn"))
            #expect(claude["streamed_stop"] == .string("tool_use"))
            #expect(claude["streamed_tool_uses"] == .array([.object(["name": .string("get_weather"), "input": Self.paris])]))
            #expect(claude["stopped"] == .string("I'm pebble-1, a "), "an OpenAI upstream cuts at the stop sequence too")
            #expect(claude["stopped_reason"] == .string("end_turn"), "OpenAI does not say a stop sequence matched")
            #expect(claude["native_stopped_reason"] == .string("stop_sequence") && claude["native_stop_sequence"] == .string("simulated"))
        }
    }

    @Test("a streamed answer is relayed as it arrives, in both client formats, equal to the unstreamed one, with usage")
    func incremental() async throws {
        try await Self.withServer { serverPort, _ in
            for model in ["ant/pebble-1", "gem/pebble-1", "oai/pebble-1"] {
                let seen = try await Self.python("stream_timing.py", ["http://127.0.0.1:\(serverPort)", model])
                for client in ["openai", "anthropic"] {
                    let timing = try #require(seen[client]?.objectValue, "\(seen)")
                    let first = try #require(timing["first"]?.numberValue), total = try #require(timing["total"]?.numberValue)
                    // The simulator spaces its ~14 events 250 ms apart: about 3 s in all, the first text after 250–500 ms.
                    #expect(total >= 2.0, "\(model) via \(client): \(timing)")
                    #expect(first < total / 2, "\(model) via \(client): the first delta came at \(first) s of \(total) s")
                    #expect((timing["pieces"]?.numberValue ?? 0) >= 5)
                    #expect(timing["text"] == timing["plain"] && timing["text"]?.stringValue?.isEmpty == false, "\(timing)")
                    #expect((timing["usage"]?.numberValue ?? 0) > 0)
                }
                let anthropic = try #require(seen["anthropic"]?.objectValue)
                #expect((anthropic["input"]?.numberValue ?? 0) > 0, "input tokens reach the Anthropic client")
                // Anthropic (message_start) and Gemini (usageMetadata on every event) upstreams say the input
                // tokens before the answer; OpenAI's only in the last chunk.
                #expect(anthropic["start_input"] == (model.hasPrefix("oai/") ? .number(0) : anthropic["input"]), "\(model): \(anthropic)")
                print("stream timing \(model): \(seen.mapValues { $0.objectValue.map { "first \($0["first"]?.numberValue ?? -1) s, total \($0["total"]?.numberValue ?? -1) s" } ?? "" })")
            }
        }
    }

    @Test("an upstream that breaks off mid-stream ends the client's stream with an error event in its format")
    func brokenStream() async throws {
        try await Self.withServer { serverPort, _ in
            try await Fixtures.withClient { client in
                let hello = #"[{"role": "user", "content": "Say hello"}]"#
                let chat = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/chat/completions",
                                                 #"{"model": "oai/finch", "stream": true, "messages": \#(hello)}"#)
                #expect(chat.status == 200 && chat.body.contains(#""content":"I'm finch"#), "\(chat.body)")
                #expect(chat.body.contains(#"data: {"error":{"#) && chat.body.contains("upstream_failed") && !chat.body.contains("data: [DONE]"), "\(chat.body)")
                let messages = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/messages",
                                                     #"{"model": "ant/finch", "max_tokens": 4000, "stream": true, "messages": \#(hello)}"#)
                #expect(messages.status == 200 && messages.body.contains("text_delta"), "\(messages.body)")
                // JSON key order is not fixed: read the error event's data as JSON.
                let errorData = messages.body.components(separatedBy: "event: error\ndata: ").dropFirst().first?.split(separator: "\n").first
                let errorEvent = errorData.flatMap { JSONValue(parsing: String($0))?.objectValue }
                #expect(errorEvent?["type"] == .string("error") && errorEvent?["error"]?.objectValue?["type"] == .string("api_error"), "\(messages.body)")
                #expect(!messages.body.contains("event: message_stop"), "\(messages.body)")
                // Nothing sent yet: an upstream that fails at once is an ordinary error response.
                let dead = try await Fixtures.post(client, "http://127.0.0.1:\(serverPort)/v1/chat/completions",
                                                 #"{"model": "oai/no-such-model", "stream": true, "messages": \#(hello)}"#)
                #expect(dead.status == 502 && dead.body.contains("upstream_failed"), "\(dead.body)")
            }
        }
    }

    @Test("a client that hangs up mid-stream stops the upstream call: no answer is paid to the end, and no candidate is blamed")
    func hangUp() async throws {
        try await Self.withServer { serverPort, _ in
            // curl reads the first pieces of a ~3 s stream and hangs up after 1 s.
            let body = #"{"model": "oai/pebble-1", "stream": true, "messages": [{"role": "user", "content": "Say hello"}]}"#
            let curl = try await AssayProcess.runDetachedTool("/usr/bin/env", [
                "curl", "-sN", "--max-time", "1", "-H", "content-type: application/json", "-d", body,
                "http://127.0.0.1:\(serverPort)/v1/chat/completions"])
            #expect(curl.status == 28, "curl gave up on time: \(curl.stderr)")
            #expect(curl.stdout.contains("data: {"), "pieces arrived before the hang-up: \(curl.stdout)")
            // Long after the whole answer would have ended: neither an answer nor a failure was recorded.
            try await Task.sleep(for: .seconds(4))
            try await Fixtures.withClient { client in
                let metrics = try await ServeTests.get(client, "http://127.0.0.1:\(serverPort)/metrics")
                #expect(!metrics.contains(#"assay_upstream_duration_seconds_count{model="oai/pebble-1""#), "\(metrics)")
                #expect(!metrics.contains(#"assay_upstream_cost_nusd_total{model="oai/pebble-1"}"#))
                #expect(!metrics.contains("assay_fallbacks_total{"))
            }
        }
    }
}
