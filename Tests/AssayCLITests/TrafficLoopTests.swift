import AssayTestSupport
import Foundation
import Testing

@Suite("The traffic loop, end to end", .serialized)
struct TrafficLoopTests {
    /// scripts/traffic-loop.sh on two shipped task folders: capture (serve with capture on + replay
    /// of the committed fixture) → from-traffic → nightly → catalog → router eval → replay → report.
    @Test("after one capture → from-traffic → nightly cycle the replay costs less than before and keeps ≥ 95% of always-best's judged quality")
    func loop() async throws {
        let work = try Fixtures.temporaryDirectory("traffic-loop")
        let result = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try AssayProcess.run([Fixtures.repoRoot + "/scripts/traffic-loop.sh", work], in: Fixtures.repoRoot,
                                         environment: ["ASSAY": AssayProcess.binary, "SUITES": "classification writing",
                                                       "FROM_TRAFFIC_ARGS": "--per-task 12"],
                                         executable: "/bin/bash")
                })
            }
        }
        #expect(result.status == 0, "\(result.stderr.suffix(3_000))")
        let loop = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/loop.json"))) as? [String: Any])
        let before = try #require(loop["before"] as? [String: Any]), after = try #require(loop["after"] as? [String: Any])
        #expect(before["requests"] as? Int == 600 && after["requests"] as? Int == 600)
        let (spendBefore, spendAfter) = (try #require(before["spend_usd"] as? Double), try #require(after["spend_usd"] as? Double))
        #expect(spendAfter < spendBefore)
        #expect(try #require(after["quality_vs_always_best"] as? Double) >= 0.95)

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
