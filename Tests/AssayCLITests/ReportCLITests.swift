import AssayCore
import AssayTestSupport
import AssayTraffic
import Foundation
import Testing

/// `assay report` over a traffic log, as an operator runs it: the terminal table, `--json`, and
/// the HTML page, looked at in headless Chromium; bad input gets a clear error and exit code.
@Suite struct ReportCLITests {
    /// A traffic log with a week of requests on two models, priced against a dearer baseline.
    static func log() throws -> (directory: String, path: String) {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/traffic.sqlite"
        let database = try TrafficDatabase(path: path)
        let first = TrafficDatabase.day("2026-11-30")!
        var entries: [TrafficEntry] = []
        for day in first..<(first + 7) {
            for index in 0..<40 {
                let cheap = index % 4 != 0
                entries.append(TrafficEntry(
                    at: Date(timeIntervalSince1970: Double(day) * 86_400 + Double(index) * 60), client: index % 2 == 0 ? "web" : "batch",
                    endpoint: "chat_completions", requestedModel: "auto", stream: false, task: cheap ? "chat" : "coding", taskSource: "classifier",
                    taskConfidence: 0.8, model: cheap ? "sim/finch" : "sim/condor", effort: "low", catalogSha256: "abc", status: index == 7 ? 502 : 200,
                    latencyMs: 80 + index * 10, usage: Usage(inputTokens: 200, outputTokens: 100),
                    cost: Money(nanoUSD: cheap ? 10_000 : 200_000), baselineCost: Money(nanoUSD: 400_000)))
            }
        }
        try database.write(entries)
        return (directory, path)
    }

    @Test("the terminal report, JSON and an HTML page that Chromium renders with the chart")
    func report() async throws {
        let (directory, path) = try Self.log()
        let range = ["--traffic", path, "--since", "2026-11-30", "--until", "2026-12-06"]
        let text = try await AssayProcess.runDetached(["report"] + range + ["--by", "key"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("280 requests") && text.stdout.contains("saved") && text.stdout.contains("web") && text.stdout.contains("batch"))

        let json = try await AssayProcess.runDetached(["report", "--json", "--by", "model"] + range)
        let object = try #require(JSONValue(parsing: json.stdout)?.objectValue, "\(json.stdout)")
        let totals = try #require(object["totals"]?.objectValue)
        #expect(totals["requests"] == .number(280) && totals["errors"] == .number(7))
        // 210 cheap at 10,000 + 70 dear at 200,000 against 280 × 400,000 nano-USD.
        #expect(totals["spend_nusd"] == .number(16_100_000) && totals["baseline_spend_nusd"] == .number(112_000_000))
        #expect(totals["savings_nusd"] == .number(95_900_000))
        #expect(object["groups"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } == ["sim/condor", "sim/finch"])
        #expect(object["days"]?.arrayValue?.count == 7)

        let page = directory + "/report.html"
        let html = try await AssayProcess.runDetached(["report", "--html", page] + range)
        #expect(html.status == 0)
        let dom = try await AssayProcess.runDetachedTool("/usr/bin/env", ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + page])
        #expect(dom.status == 0, "\(dom.stderr)")
        #expect(dom.stdout.contains("<polyline") && dom.stdout.contains("$0.0161") && dom.stdout.contains("85.6%"), "\(dom.stdout.prefix(400))")
        let shot = directory + "/report.png"
        _ = try await AssayProcess.runDetachedTool("/usr/bin/env", ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                                                    "--screenshot=" + shot, "--window-size=1200,900", "file://" + page])
        let size = (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 20_000, "a rendered page, not a blank one (\(size) bytes)")
    }

    @Test("a missing log exits 66 naming the path; a bad date exits 64")
    func badInput() async throws {
        let missing = try await AssayProcess.runDetached(["report", "--traffic", "/nonexistent/traffic.sqlite"])
        #expect(missing.status == 66 && missing.stderr.contains("/nonexistent/traffic.sqlite") && missing.stderr.contains("assay serve"))
        let (_, path) = try Self.log()
        let date = try await AssayProcess.runDetached(["report", "--traffic", path, "--since", "30/11/2026"])
        #expect(date.status == 64 && date.stderr.contains("--since"))
    }
}
