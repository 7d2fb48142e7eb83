import AssayCore
import AssaySuites
import AssayTestSupport
import AssayTraffic
import Foundation
import Testing

/// What the cascade replay tests do with a running `assay serve`: send every item of a suite as
/// `assay run` sent it, under the cascade objective, and read back what the traffic log counted.
enum CascadeReplayDriver {
    /// `assay cascade plan --json`'s shape with one served cascade, for task extraction: `worker`
    /// answers, `check` (`judge`, `agreement:<entry>`, …) at `threshold` decides, `advisor` answers on doubt.
    static func plan(worker: String, advisor: String, check: String, threshold: Double) -> String {
        """
        {"tasks": [{"task": "extraction", "selection_items": 18, "report_items": 18, "tried": 1, "best_single": "\(advisor)",
          "baselines": [], "verdict": "a cascade beats the best single pick",
          "cascade": {"spec": {"worker": "\(worker)", "advisor": "\(advisor)", "check": "\(check)"},
            "versus_best_single": {"mean": 0, "low": 0, "high": 0}, "cost_ratio_to_best_single": 0.5,
            "point": {"threshold": \(threshold), "quality": 1, "cost_nusd": 1, "worker_cost_nusd": 1, "check_cost_nusd": 0, "advisor_cost_nusd": 0,
              "escalated": 0, "unchecked": 0, "versus_always_best": {"mean": 0, "low": 0, "high": 0},
              "versus_router": {"mean": 0, "low": 0, "high": 0}, "accuracy": {"right_answers": 0, "wrong_answers": 0}}}}]}
        """
    }

    /// A measured run of the extraction suite on the simulator at `port` (sim/pebble-1 at none and
    /// low, sim/heron-flash; `judge` when given), its catalog built and `plan` written where
    /// `serve.cascade.plan` names it; the directory.
    static func measuredExtraction(simulatorPort port: Int, judge: String? = nil, plan: String) async throws -> String {
        let directory = try await ServeFixture.measured("""
            providers:
              sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
            models:
              - {id: sim/pebble-1, efforts: [none, low], price: {input: "0.02", output: "0.08"}}
              - {id: sim/heron-flash, efforts: [none], price: {input: "0.30", output: "2.50"}}
            \(judge.map { "judge: \($0)\n" } ?? "")run: {concurrency: 8}
            serve: {cascade: {plan: cascade-plan.json}}
            """, suites: ["extraction"])
        try plan.write(toFile: directory + "/cascade-plan.json", atomically: true, encoding: .utf8)
        return directory
    }

    /// Serves every item of `suite` from `directory` (a real `assay serve`) and checks it decided as
    /// the replay's sweep `point` over `items`: both paths taken, the same share sent to the
    /// advisor, the same mean cost; the answers' routes, the traffic rows and how many were advised.
    static func serveMatchingReplay(_ suite: Suite, directory: String, point: [String: JSONValue],
                                    items: Int) async throws -> (routes: [String], rows: [TrafficEntry], advised: Int) {
        let (server, serverPort) = try ServeTests.startServer(in: directory)
        let routes = try await sendEveryItem(of: suite, port: serverPort)
        let advised = routes.filter { $0.contains("path=advisor") }.count
        server.terminate()
        server.waitUntilExit()

        #expect(advised > 0 && advised < items, "both paths are taken: \(advised) of \(items) went to the advisor")
        let escalated = try #require(point["escalated"]?.numberValue)
        #expect(abs(Double(advised) / Double(items) - escalated) < 1e-9, "server sent \(advised) of \(items) to the advisor; the replay \(escalated)")
        let (rows, serverMean) = try meanCost(directory: directory, items: items)
        let replayMean = try #require(point["cost_nusd"]?.numberValue)
        #expect(abs(serverMean - replayMean) <= replayMean * 1e-6 + 1, "server \(serverMean) nUSD per request, replay \(replayMean)")
        return (routes, rows, advised)
    }

    /// `x-assay-route` of each answer to `suite`'s items, sent to the server on `port` as
    /// `auto:<task>` with `x-assay-tradeoff: cascade` (the suite's system prompt, the rendered prompt).
    static func sendEveryItem(of suite: Suite, port: Int) async throws -> [String] {
        try await Fixtures.withClient { client in
            var routes: [String] = []
            for item in suite.items {
                let messages: [JSONValue] = (suite.system.map { [.object(["role": .string("system"), "content": .string($0)])] } ?? [])
                    + [.object(["role": .string("user"), "content": .string(item.renderedPrompt)])]
                let body = JSONValue.object(["model": .string("auto:\(suite.task)"), "messages": .array(messages), "max_tokens": .number(16_384)]).jsonText
                let response = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/chat/completions", body,
                                                       headers: ["x-assay-tradeoff": "cascade"])
                #expect(response.status == 200, "\(response.body)")
                routes.append(response.headers["x-assay-route"] ?? "")
            }
            return routes
        }
    }

    /// The traffic rows of the run in `directory`, after checking there is one per item, each a
    /// cascade whose cost is its steps' sum; the mean cost per request in nano-USD.
    static func meanCost(directory: String, items: Int) throws -> (rows: [TrafficEntry], mean: Double) {
        let rows = try TrafficDatabase(path: directory + "/results/traffic.sqlite").entries(limit: 1_000)
        try #require(rows.count == items)
        #expect(rows.allSatisfy { row in
            row.cascade != nil
                && row.cost == [row.cascade?.workerCost, row.cascade?.checkCost, row.cascade?.advisorCost].compactMap { $0 }.reduce(Money.zero, +)
        })
        return (rows, Double(rows.compactMap(\.cost).reduce(Money.zero, +).nanoUSD) / Double(items))
    }
}
