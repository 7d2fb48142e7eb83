import AssayCore
import AssayTraffic
import Foundation
import GRDB

/// `assay report` over a large traffic log: by default 10,000,000 requests over 90 days from
/// 20 client keys, 8 tasks and 12 model+effort entries, written through the log's own batched
/// write path (rows and daily rollups in one transaction per batch) into a real SQLite file.
/// Times the report for every grouping against a baseline measured in the same process: one
/// pass over the raw request table summing one column (what a report that read the rows would
/// pay at least).
@main
struct TrafficReportBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.endIndex ? arguments[$0 + 1] : nil }
        }
        let requests = value("--requests").flatMap(Int.init) ?? 10_000_000
        let days = value("--days").flatMap(Int.init) ?? 90
        let directory = NSTemporaryDirectory() + "assay-traffic-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // --database PATH keeps the generated log there and reuses it on the next run.
        let path = value("--database") ?? directory + "/traffic.sqlite"
        let log = try TrafficDatabase(path: path)

        let fillStart = ContinuousClock.now
        if try log.requestCount() == 0 { try fill(log, requests: requests, days: days) }
        let stored = try log.requestCount()
        print("stored \(stored) requests over \(days) days in \(format(fillStart.duration(to: .now)))")

        let firstDay = Int(Date().timeIntervalSince1970 / 86_400) - days
        let baselineStart = ContinuousClock.now
        let raw = try DatabaseQueue(path: path, configuration: { var configuration = Configuration(); configuration.readonly = true; return configuration }())
        let (counted, spend) = try raw.read { db -> (Int, Int64) in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), total(cost_nusd) FROM request")
            return (row?[0] ?? 0, Int64(row?[1] as Double? ?? 0))
        }
        let baseline = seconds(baselineStart.duration(to: .now))
        print(String(format: "baseline: one pass summing the raw request rows   %7.3f s   (%d rows, spend %lld nano-USD)", baseline, counted, spend))
        let rollups = try raw.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM daily") ?? 0 }
        print("daily rollup rows: \(rollups)")

        for dimension in [TrafficReport.Dimension.day, .key, .task, .model, .endpoint] {
            let start = ContinuousClock.now
            let report = try log.report(from: firstDay, to: firstDay + days, by: dimension)
            let text = TrafficReportText.render(report)
            let json = try TrafficReport.encoder().encode(report)
            let html = TrafficReportHTML.render(report)
            let elapsed = seconds(start.duration(to: .now))
            print(String(format: "report --by %-8@ (text + json + html)   %7.3f s   %5.2f× baseline   %d requests, %d groups, %d bytes",
                         "\(dimension)" as NSString, elapsed, elapsed / max(baseline, 1e-9), report.totals.requests,
                         report.groups.count, text.utf8.count + json.count + html.utf8.count))
            guard report.totals.requests == stored else {
                print("error: the report counts \(report.totals.requests) requests, the log holds \(stored)")
                exit(1)
            }
        }
    }

    /// Writes `requests` entries through `TrafficDatabase.write` in batches of 5,000 (what the
    /// server's writer does every 250 ms under load), spread evenly over `days` days.
    static func fill(_ log: TrafficDatabase, requests: Int, days: Int) throws {
        let keys = (0..<20).map { "team-\($0)" }
        let tasks = ["chat", "coding", "summarise", "translate", "extraction", "classification", "math", "writing"]
        let entries = (0..<12).map { EntryKey(model: "sim/model-\($0 / 3)", effort: ["none", "low", "medium"][$0 % 3]) }
        let start = Date().timeIntervalSince1970 - Double(days) * 86_400
        let step = Double(days) * 86_400 / Double(max(requests, 1))
        var generator = SplitMix64(seed: 42)
        var batch: [TrafficEntry] = []
        batch.reserveCapacity(5_000)
        for index in 0..<requests {
            let random = generator.next()
            let entry = entries[Int(random % 12)]
            let failed = random % 97 == 0
            batch.append(TrafficEntry(
                at: Date(timeIntervalSince1970: start + Double(index) * step), client: keys[Int((random >> 8) % 20)],
                endpoint: random & 0x1000 == 0 ? "chat_completions" : "messages", requestedModel: "auto", stream: random & 0x2000 == 0,
                task: tasks[Int((random >> 16) % 8)], taskSource: "classifier", taskConfidence: 0.9, model: entry.model,
                effort: entry.effort, catalogSha256: "bench", fallbacks: random % 53 == 0 ? 1 : 0, status: failed ? 502 : 200,
                error: failed ? "upstream_failed" : nil, latencyMs: Int((random >> 24) % 4_000), ttftMs: nil,
                usage: Usage(inputTokens: Int((random >> 32) % 2_000), cachedInputTokens: 0, outputTokens: Int((random >> 40) % 800),
                             reasoningTokens: 0),
                cost: Money(nanoUSD: Int64((random >> 20) % 3_000_000)), baselineCost: Money(nanoUSD: 6_000_000)))
            if batch.count == 5_000 {
                try log.write(batch)
                batch.removeAll(keepingCapacity: true)
                if (index + 1) % 1_000_000 == 0 { print("  \(index + 1) written") }
            }
        }
        try log.write(batch)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ duration: Duration) -> String { String(format: "%.1f s", seconds(duration)) }
}

/// A small seeded generator (SplitMix64 over AssayCore's `StableHash.mix`, as router-decide's), so
/// every run writes the same log.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return StableHash.mix(state)
    }
}
