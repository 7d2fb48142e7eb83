import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// `assay route` and `assay router eval` on the demo's results, as a user runs them (off the
/// cooperative threads: a minute-long demo must not hold one while other suites serve HTTP).
@Suite("assay route and router eval", .serialized)
struct RouterCLITests {
    @Test("route explains a decision (text and JSON); router eval replays held-out items against the baselines")
    func routeAndEval() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let demo = try await AssayProcess.runDetached(["demo", "--suites", Fixtures.suitesDirectory], in: directory)
        #expect(demo.status == 0, "\(demo.stderr)")

        let text = try await AssayProcess.runDetached(["route", "A train travels 120 km in 1.5 hours. What is its average speed in km/h?"], in: directory)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("math: sim/") && text.stdout.contains("why") && text.stdout.contains("catalog "))

        let json = try await AssayProcess.runDetached(["route", "Classify this ticket: my invoice is wrong", "--task", "classification",
                                         "--objective", "best", "--json"], in: directory)
        #expect(json.status == 0, "\(json.stderr)")
        let decision = try #require(JSONValue(parsing: json.stdout)?.objectValue)
        #expect(decision["task"] == .string("classification") && decision["task_source"] == .string("model"))
        #expect(decision["catalog_sha256"]?.stringValue?.count == 64)
        #expect(decision["reason"]?.stringValue?.isEmpty == false)

        // --tradeoff is read as the server reads x-assay-tradeoff; --max-tokens leaves out entries that write more.
        let best = try await AssayProcess.runDetached(["route", "Classify this ticket: my invoice is wrong", "--task", "classification",
                                                       "--tradeoff", "best", "--json"], in: directory)
        #expect(try #require(JSONValue(parsing: best.stdout)?.objectValue)["model"] == decision["model"], "\(best.stderr)")
        let badTradeoff = try await AssayProcess.runDetached(["route", "hi", "--tradeoff", "utility=-1"], in: directory)
        #expect(badTradeoff.status == 64 && badTradeoff.stderr.contains("--tradeoff utility=-1"), "\(badTradeoff.stderr)")
        let cascade = try await AssayProcess.runDetached(["route", "hi", "--tradeoff", "cascade"], in: directory)
        #expect(cascade.status == 64 && cascade.stderr.contains("runs only in 'assay serve'"), "\(cascade.stderr)")
        let short = try await AssayProcess.runDetached(["route", "A train travels 120 km in 1.5 hours. What is its average speed?",
                                                        "--task", "math", "--max-tokens", "1", "--json"], in: directory)
        let fit = try #require(JSONValue(parsing: short.stdout)?.objectValue, "\(short.stderr)")
        #expect(fit["max_tokens"] == .number(1) && fit["max_tokens_unmet"] == .bool(true), "no entry answers in one token: \(short.stdout)")

        let unknown = try await AssayProcess.runDetached(["route", "hello", "--task", "poetry"], in: directory)
        #expect(unknown.status == 66 && unknown.stderr.contains("unknown task 'poetry'"))

        let eval = try await AssayProcess.runDetached(["router", "eval", "--suites", Fixtures.suitesDirectory, "--json"], in: directory)
        #expect(eval.status == 0 || eval.status == 3, "\(eval.stderr)")
        let result = try #require(JSONValue(parsing: eval.stdout)?.objectValue)
        let policies = try #require(result["policies"]?.arrayValue)
        #expect(policies.compactMap { $0.objectValue?["policy"]?.stringValue } == [
            "router", "always-best", "per-task-best", "always-cheapest", "random", "oracle", "per-task-pick",
            "router-nearest-items", "router-nearest-items+task", "router-prompt-logistic", "router-prompt-logistic+task"])
        // Each router against the per-task table, item by item, with an interval, and its calibration.
        let comparisons = (result["comparisons"]?.arrayValue ?? []).compactMap { $0.objectValue }
        let served = try #require(comparisons.first { $0["policy"] == .string("router") && $0["against"] == .string("per-task-pick") })
        let quality = try #require(served["quality_difference"]?.objectValue)
        #expect((quality["low"]?.numberValue ?? 1) <= (quality["mean"]?.numberValue ?? 0)
                && (quality["mean"]?.numberValue ?? 1) <= (quality["high"]?.numberValue ?? 0))
        #expect(served["items"]?.numberValue == result["held_out_items"]?.numberValue)
        let calibration = (result["calibration"]?.arrayValue ?? []).compactMap { $0.objectValue }
        #expect(calibration.contains { $0["policy"] == .string("router-prompt-logistic+task (every entry)") && ($0["brier"]?.numberValue ?? -1) >= 0 })
        #expect(result["held_out_by"] == .string("cluster, else item"))
        #expect((result["held_out_items"]?.numberValue ?? 0) >= 150, "every item of the five suites, once")
        #expect((result["sweep"]?.arrayValue?.count ?? 0) >= 10)
        let met = result["target"]?.objectValue?["met"]
        #expect(met == .bool(eval.status == 0), "exit 3 exactly when the target is missed")
    }
}
