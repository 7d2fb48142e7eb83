import AssayCore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// `assay serve` remembering conversations (prompt-cache stickiness) and counting what traffic
/// cost against the configured baseline model.
@Suite("Serve sessions and savings", .serialized)
struct ServeSessionTests {
    /// A long system prompt, as real applications send: the prefix a provider caches.
    static let system = String(repeating: "You are a careful assistant for an accounting team; answer briefly and exactly. ", count: 200)

    static func metric(_ text: String, _ prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("a conversation's next turn stays on its model when the cache saves more than switching; costs and savings vs the baseline are counted exactly")
    func stickinessAndSavings() async throws {
        let suites = try Fixtures.shippedSuites()
        let math = try #require(suites.first { $0.task == "math" }), classification = try #require(suites.first { $0.task == "classification" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try await ServeFixture.measured("""
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: sim/finch-mini, efforts: [minimal], price: {input: "0.10", cached_input: "0.01", output: "0.40"}}
                  - {id: sim/finch, efforts: [low], price: {input: "0.50", cached_input: "0.05", output: "2.00"}}
                  - {id: sim/condor, efforts: [high], price: {input: "15", output: "75"}}
                run: {concurrency: 8}
                serve: {baseline: sim/condor}
                """, suites: ["math", "classification"], runArguments: ["--model", "sim/finch-mini", "--model", "sim/finch"])

            let (server, serverPort) = try ServeTests.startServer(in: directory)
            defer { server.terminate() }
            let url = "http://127.0.0.1:\(serverPort)/v1/chat/completions"
            func text(_ value: String) -> String { JSONValue.string(value).jsonText }
            let mathPrompt = math.items[0].renderedPrompt, classificationPrompt = classification.items[0].renderedPrompt
            try await Fixtures.withClient { client in
                // Turn 1: a math question routes to the entry good at math.
                let first = try await Fixtures.post(client, url, #"{"model": "auto", "messages": [{"role": "system", "content": \#(text(Self.system))}, {"role": "user", "content": \#(text(mathPrompt))}]}"#)
                #expect(first.status == 200, "\(first.body)")
                let answer = try #require(JSONValue(parsing: first.body)?.objectValue)
                let firstModel = try #require(answer["model"]?.stringValue)
                let reply = answer["choices"]?.arrayValue?.first?.objectValue?["message"]?.objectValue?["content"]?.stringValue ?? ""

                // Costs: the first answer at its model's prices, the baseline at condor's, savings their difference.
                let usage = try #require(answer["usage"]?.objectValue)
                let prompt = Int64(usage["prompt_tokens"]?.numberValue ?? 0), completion = Int64(usage["completion_tokens"]?.numberValue ?? 0)
                let cached = Int64(usage["prompt_tokens_details"]?.objectValue?["cached_tokens"]?.numberValue ?? 0)
                let (input, cachedInput, output): (Int64, Int64, Int64) = firstModel == "sim/finch"
                    ? (500_000_000, 50_000_000, 2_000_000_000) : (100_000_000, 10_000_000, 400_000_000)
                let expected = ((prompt - cached) * input + cached * cachedInput + completion * output + 500_000) / 1_000_000
                let afterFirst = try await ServeTests.get(client, "http://127.0.0.1:\(serverPort)/metrics")
                #expect(Self.metric(afterFirst, #"assay_upstream_cost_nusd_total{model="\#(firstModel)"}"#) == Double(expected), "\(afterFirst)")

                // Turn 2 asks a classification question, which alone goes to the cheaper entry…
                let turnTwo = #"[{"role": "system", "content": \#(text(Self.system))}, {"role": "user", "content": \#(text(mathPrompt))}, {"role": "assistant", "content": \#(text(reply))}, {"role": "user", "content": \#(text(classificationPrompt))}]"#
                let alone = try await Fixtures.post(client, url, #"{"model": "auto", "messages": \#(turnTwo)}"#, headers: ["x-assay-session": "fresh"])
                let aloneModel = try #require(JSONValue(parsing: alone.body)?.objectValue?["model"]?.stringValue)
                try #require(aloneModel != firstModel, "the scenario needs the two tasks to route apart (\(firstModel), \(aloneModel))")
                // …but in the conversation it stays where its prompt is cached.
                let kept = try await Fixtures.post(client, url, #"{"model": "auto", "messages": \#(turnTwo)}"#)
                #expect(JSONValue(parsing: kept.body)?.objectValue?["model"]?.stringValue == firstModel, "\(kept.headers)")
                #expect(kept.headers["x-assay-route"]?.contains("kept on the conversation's entry") == true, "\(kept.headers)")

                let metrics = try await ServeTests.get(client, "http://127.0.0.1:\(serverPort)/metrics")
                let costs = [firstModel, aloneModel].map { Self.metric(metrics, #"assay_upstream_cost_nusd_total{model="\#($0)"}"#) ?? 0 }
                #expect(costs[0] > Double(expected) && costs[1] > 0, "both turns on the first model, the fresh one on the other: \(metrics)")
                let baseline = try #require(Self.metric(metrics, "assay_baseline_cost_nusd_total"), "\(metrics)")
                let savings = try #require(Self.metric(metrics, "assay_estimated_savings_nusd"))
                #expect(baseline > 10 * (costs[0] + costs[1]), "condor is 30× finch's price")
                #expect(savings == baseline - costs[0] - costs[1])
            }
        }
    }
}
