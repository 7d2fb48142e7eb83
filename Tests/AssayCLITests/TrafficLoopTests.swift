import AssayTestSupport
import Foundation
import Testing

@Suite("The traffic loop, end to end", .serialized)
struct TrafficLoopTests {
    /// scripts/traffic-loop.sh on two shipped task folders: capture (serve with capture on + replay
    /// of the committed fixture) → from-traffic → nightly → catalog → router eval → replay → report.
    @Test("after one capture → from-traffic → nightly cycle the replay keeps ≥ 95% of always-best's judged quality for less than its cost")
    func loop() async throws {
        let work = try Fixtures.temporaryDirectory("traffic-loop")
        let result = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try AssayProcess.run([Fixtures.repoRoot + "/scripts/traffic-loop.sh", work], in: Fixtures.repoRoot,
                                         environment: ["ASSAY": AssayProcess.binary, "SUITES": "classification writing",
                                                       // a few requests at a time: the other suites' timing tests run beside this one
                                                       "CONCURRENCY": "4"],
                                         executable: "/bin/bash")
                })
            }
        }
        #expect(result.status == 0, "\(result.stderr.suffix(3_000))")
        let loop = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/loop.json"))) as? [String: Any])
        let before = try #require(loop["before"] as? [String: Any]), after = try #require(loop["after"] as? [String: Any])
        #expect(before["requests"] as? Int == 600 && after["requests"] as? Int == 600)
        // Before, the catalog knew only the shipped tasks: on these two it sends everyday prompts to
        // the default entry or to small models, cheaper and short of always-best's judged quality. After one cycle, the
        // router keeps at least 95% of always-best's quality and costs less than always-best.
        #expect(try #require(after["quality_vs_always_best"] as? Double) >= 0.95)
        #expect(try #require(after["cost_vs_always_best"] as? Double) < 1)
        #expect(try #require(after["estimated_quality"] as? Double) > (try #require(before["estimated_quality"] as? Double)))
        // Before the cycle, routing costs no more than sending everything to the configured default
        // entry (the script's serve.unknown_prompts default, sim/finch@medium).
        let targets = try #require(loop["targets"] as? [String: Any])
        #expect(targets["before_within_default"] as? Bool == true, "\(targets)")

        // The private suites were written, measured and put in the catalog.
        let written = try FileManager.default.contentsOfDirectory(atPath: work + "/suites/private").filter { $0.hasSuffix(".yaml") }
        #expect(!written.isEmpty && written.allSatisfy { $0.hasPrefix("traffic-") })
        let catalog = try String(contentsOfFile: work + "/catalog/catalog.json", encoding: .utf8)
        for file in written { #expect(catalog.contains("\"" + file.replacingOccurrences(of: ".yaml", with: "") + "\"")) }
        // Both replays are in their traffic logs, and assay report reads them.
        let report = try AssayProcess.run(["report", "--traffic", work + "/results/traffic-after.sqlite", "--json"])
        #expect(report.status == 0 && report.stdout.contains("\"requests\" : 600"))
    }
}

@Suite("traffic replay and from-traffic on bad input")
struct TrafficCLIInputTests {
    @Test("a bad fixture line, an unreachable server and a missing traffic log exit non-zero with what to do")
    func badInput() async throws {
        let directory = try Fixtures.temporaryDirectory("traffic-cli")
        let fixture = directory + "/bad.jsonl"
        try Data("{\"api\": \"openai\", \"body\": {\"model\": \"auto\"}}\n{\"api\": \"openai\", \"body\": \"not an object\"}\n".utf8)
            .write(to: URL(fileURLWithPath: fixture))
        let bad = try await AssayProcess.runDetached(["traffic", "replay", fixture])
        #expect(bad.status == 65 && bad.stderr.contains("bad.jsonl:2") && bad.stderr.contains("'body'"))

        let good = directory + "/one.jsonl"
        try Data("{\"api\": \"anthropic\", \"body\": {\"model\": \"auto\", \"max_tokens\": 16, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}}\n".utf8)
            .write(to: URL(fileURLWithPath: good))
        // Port 9 (discard) on loopback has no listener: the request fails and the replay says so.
        let unreachable = try await AssayProcess.runDetached(["traffic", "replay", good, "--server", "http://127.0.0.1:9", "--json"])
        #expect(unreachable.status == 3 && unreachable.stdout.contains("\"failed\" : 1") && unreachable.stdout.contains("\"0\" : 1"))
        let notURL = try await AssayProcess.runDetached(["traffic", "replay", good, "--server", "file:///etc/passwd"])
        #expect(notURL.status == 64 && notURL.stderr.contains("not an http(s) URL"))

        let config = directory + "/assay.yaml"
        try Data("serve:\n  baseline: sim/condor-max\nproviders:\n  sim: {type: openai, base_url: 'http://127.0.0.1:9/v1'}\nmodels:\n  - {id: sim/condor-max, price: {input: '1', output: '1'}}\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        let missing = try await AssayProcess.runDetached(["suites", "from-traffic", "--config", config, "--traffic", directory + "/none.sqlite"])
        #expect(missing.status == 66 && missing.stderr.contains("none.sqlite") && missing.stderr.contains("assay serve"))
        let noBaseline = try await AssayProcess.runDetached(["suites", "from-traffic", "--config", config, "--baseline", "nonsense"])
        #expect(noBaseline.status == 64 && noBaseline.stderr.contains("provider/model"))
    }
}
