import AssayCore
import AssayTestSupport
@testable import AssayTraffic
import Foundation
import Testing

/// The traffic log's file: rows and daily rollups written in one transaction, reports read from
/// the rollups, retention by age and size that keeps the rollups.
@Suite struct TrafficDatabaseTests {
    static let day = 20_430  // 2025-12-08
    static func at(_ day: Int, hour: Double = 12) -> Date { Date(timeIntervalSince1970: (Double(day) + hour / 24) * 86_400) }

    static func entry(day: Int = day, client: String? = "web", task: String? = "math", model: String? = "sim/cheap", status: Int = 200,
                      latency: Int = 40, cost: Int64? = 1_000, baseline: Int64? = 10_000, fallbacks: Int = 0) -> TrafficEntry {
        TrafficEntry(at: at(day), client: client, endpoint: "chat_completions", requestedModel: "auto", stream: false, task: task,
                     taskSource: "classifier", taskConfidence: 0.9, model: model, effort: model == nil ? nil : "low", catalogSha256: "abc",
                     fallbacks: fallbacks, status: status, error: status == 200 ? nil : "upstream_failed", latencyMs: latency,
                     usage: Usage(inputTokens: 100, cachedInputTokens: 10, outputTokens: 20, reasoningTokens: 5),
                     cost: cost.map { Money(nanoUSD: $0) }, baselineCost: baseline.map { Money(nanoUSD: $0) })
    }

    @Test("a report sums spend, baseline and savings over the priced requests, with rates, tokens and latency percentiles")
    func totals() throws {
        let database = try TrafficDatabase.inMemory()
        try database.write((0..<98).map { _ in Self.entry() } + [Self.entry(status: 502, latency: 4_000, cost: nil, baseline: nil, fallbacks: 1),
                                                                 Self.entry(latency: 9_000, cost: 5_000, baseline: nil)])
        let report = try database.report(from: Self.day, to: Self.day, by: .task)
        let totals = report.totals
        #expect(totals.requests == 100 && totals.errors == 1 && totals.fallbacks == 1)
        #expect(totals.spendNusd == 98 * 1_000 + 5_000)
        #expect(totals.baselineSpendNusd == 98 * 10_000 && totals.baselinePricedRequests == 98)
        #expect(totals.savingsNusd == 98 * 9_000 && totals.savingsShare == 0.9)
        #expect(totals.inputTokens == 10_000 && totals.cachedInputTokens == 1_000 && totals.outputTokens == 2_000 && totals.reasoningTokens == 500)
        #expect(totals.latencyP50Ms == 50 && totals.latencyP99Ms == 5_000)
        #expect(report.groups.map(\.name) == ["math"])
        #expect(report.decisionMix.first?.name == "sim/cheap@low")
    }

    @Test("groups by day, key, task and model; days outside the period are left out")
    func grouping() throws {
        let database = try TrafficDatabase.inMemory()
        try database.write([Self.entry(day: Self.day, client: "a"), Self.entry(day: Self.day + 1, client: "b", task: "coding", model: "sim/dear"),
                            Self.entry(day: Self.day + 1, client: nil, task: nil, model: nil, status: 400), Self.entry(day: Self.day + 5)])
        let byDay = try database.report(from: Self.day, to: Self.day + 1, by: .day)
        #expect(byDay.groups.map(\.name) == ["2025-12-08", "2025-12-09"] && byDay.totals.requests == 3)
        #expect(try database.report(from: Self.day, to: Self.day + 1, by: .key).groups.map(\.name).sorted() == ["(no key)", "a", "b"])
        #expect(try database.report(from: Self.day, to: Self.day + 1, by: .model).groups.map(\.name).sorted() == ["(none)", "sim/cheap", "sim/dear"])
        #expect(byDay.decisionMix.contains { $0.name == "unrouted" && $0.figures.requests == 1 })
        #expect(TrafficDatabase.day("2025-12-08") == Self.day && TrafficDatabase.dayText(Self.day) == "2025-12-08")
    }

    @Test("day names are computed, and agree with a UTC calendar from 1900 to 2200, leap days included")
    func dayNames() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        for day in stride(from: -25_567, through: 84_000, by: 7) + [0, -1, 11_016, 11_017, 19_417, 47_540] {
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(day) * 86_400))
            #expect(TrafficDatabase.dayText(day) == expected, "day \(day)")
            #expect(TrafficDatabase.day(expected) == day)
        }
    }

    @Test("a stored latency histogram reads back exactly; a damaged one reads as zeros, never as a crash")
    func histogramText() {
        var histogram = LatencyHistogram()
        for latency in [1, 7, 30, 30, 999, 4_000, 400_000] { histogram.add(latency) }
        #expect(LatencyHistogram(text: histogram.text) == histogram)
        let sixteen = Array(repeating: "1", count: LatencyHistogram.bounds.count)
        var damaged = sixteen
        damaged[3] = "x9"
        damaged[4] = "99999999999999999999999"
        #expect(LatencyHistogram(text: damaged.joined(separator: ",")).counts[2...5] == [1, 0, 0, 1])
        #expect(LatencyHistogram(text: "1,2,3").total == 0, "a histogram with the wrong number of buckets reads as empty")
        #expect(LatencyHistogram(text: "").total == 0)
    }

    @Test("retention deletes requests by age and beyond the row cap, oldest first, and keeps the rollups")
    func retention() throws {
        let database = try TrafficDatabase.inMemory()
        try database.write((0..<10).map { Self.entry(day: Self.day - 40 + $0) } + (0..<1_500).map { _ in Self.entry() })
        let now = Self.at(Self.day, hour: 23)
        #expect(try database.trim(maxAgeDays: 30, maxRows: 1_200, now: now) == 10 + 300)
        #expect(try database.requestCount() == 1_200)
        let report = try database.report(from: Self.day - 40, to: Self.day, by: .day)
        #expect(report.totals.requests == 1_510, "the daily rollups keep what the rows no longer hold")
    }

    @Test("the log's queue never blocks: past its capacity entries are dropped and counted; flush writes the rest")
    func queue() async throws {
        let log = TrafficLog(database: try TrafficDatabase.inMemory(), settings: .init(queueCapacity: 3), logger: .init(label: "test"))
        let accepted = (0..<5).map { _ in log.record(Self.entry()) }
        #expect(accepted == [true, true, true, false, false] && log.dropped == 2 && log.pending == 3)
        await log.flush()
        let stored = try log.database.requestCount()
        #expect(log.written == 3 && log.pending == 0 && stored == 3)
    }

    @Test("latency percentiles read as bucket bounds")
    func histogram() {
        var histogram = LatencyHistogram()
        for value in [1, 7, 30, 30, 80, 400, 2_000, 2_000, 2_000, 400_000] { histogram.add(value) }
        #expect(histogram.percentile(0.5) == 100 && histogram.percentile(0.9) == 2_500 && histogram.percentile(1) == .max)
        #expect(LatencyHistogram(text: histogram.text) == histogram)
        #expect(LatencyHistogram().percentile(0.5) == nil)
    }
}

extension TrafficLog {
    /// The SQLite file these tests give the log.
    var database: TrafficDatabase { store as! TrafficDatabase }
}
