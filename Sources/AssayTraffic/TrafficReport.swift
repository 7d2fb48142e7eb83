import AssayCore
import Foundation
import GRDB

/// What the traffic log says about a period: spend against the baseline model's, savings,
/// requests, tokens, error and fallback rates, latency percentiles and the decision mix, in
/// total, per day, and grouped by key, task, model or endpoint. Read from the daily rollups.
public struct TrafficReport: Sendable, Codable, Equatable {
    /// What rows are grouped by.
    public enum Dimension: String, Sendable, Codable, CaseIterable {
        case day, key, task, model, endpoint
    }

    /// The sums and rates of a set of requests.
    public struct Figures: Sendable, Codable, Equatable {
        public var requests = 0
        public var errors = 0
        public var errorRate = 0.0
        public var fallbacks = 0
        package var fallbackRate = 0.0
        public var inputTokens = 0
        public var cachedInputTokens = 0
        public var outputTokens = 0
        public var reasoningTokens = 0
        /// What the requests cost at their models' prices, nano-USD.
        package var spendNusd: Int64 = 0
        /// Over the requests priced on both sides: what the baseline model would have cost, what
        /// they did cost, and the difference.
        package var baselineSpendNusd: Int64 = 0
        package var baselinePricedRequests = 0
        package var savingsNusd: Int64 = 0
        /// Savings as a share of the baseline spend; nil without a baseline.
        package var savingsShare: Double?
        package var latencyP50Ms: Int?
        package var latencyP95Ms: Int?
        package var latencyP99Ms: Int?

        public init() {}
    }

    public struct Group: Sendable, Codable, Equatable {
        public var name: String
        package var figures: Figures
    }

    package var fromDay: String
    package var toDay: String
    public var dimension: Dimension
    public var totals: Figures
    public var groups: [Group]
    /// One group per day of the period, oldest first, days without traffic at zero (the chart's series).
    public var days: [Group]
    /// Share of requests by the model@effort that answered (`unrouted` for refusals).
    package var decisionMix: [Group]
}

extension TrafficReport {
    /// The encoder for `--json`: snake_case keys, as every Assay JSON output.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension TrafficDatabase {
    /// The report over UTC days `from`…`to` (days since 1970), grouped by `dimension`.
    public func report(from: Int, to: Int, by dimension: TrafficReport.Dimension) throws -> TrafficReport {
        // Columns by position: GRDB's lookup by name lower-cases each name on every access,
        // which was a third of a report's time over 150,000 rollup rows.
        var builder = TrafficReportBuilder(from: from, to: to, by: dimension)
        let first = Accumulator.columnCount
        try writer.read { db in
            // A cursor reuses one row; fetching every row as its own copy cost a fifth of the time.
            let rows = try Row.fetchCursor(db, sql: "SELECT \(Accumulator.columns), day, client, task, model, effort, endpoint FROM daily WHERE day BETWEEN ? AND ?",
                                             arguments: [from, to])
            while let row = try rows.next() {
                builder.add(Accumulator(row), day: row[first], client: row[first + 1], task: row[first + 2], model: row[first + 3],
                            effort: row[first + 4], endpoint: row[first + 5])
            }
        }
        return builder.report
    }

    /// `yyyy-mm-dd` of a day number (days since 1970-01-01, proleptic Gregorian, UTC), by
    /// arithmetic: a report formats one per rollup row, and a `DateFormatter` each time cost
    /// ~60 µs a row (12 s for 200,000 rows).
    package static func dayText(_ day: Int) -> String {
        let shifted = day + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    /// The day number of `yyyy-mm-dd`; nil when it is not one.
    public static func day(_ text: String) -> Int? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text).map { Int(($0.timeIntervalSince1970 / 86_400).rounded(.down)) }
    }
}

/// Daily rows summed.
struct Accumulator {
    var sums = DailyRollup()

    init() {}

    /// The rollup columns `init(_:)` reads, in its order, first in a report's SELECT.
    static let columns = """
        requests, errors, fallbacks, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, cost_nusd, \
        baseline_cost_nusd, baseline_priced, baseline_priced_cost_nusd, latency_histogram
        """
    static let columnCount = columns.split(separator: ",").count

    init(sums: DailyRollup) { self.sums = sums }

    init(_ row: Row) {
        sums.requests = row[0]
        sums.errors = row[1]
        sums.fallbacks = row[2]
        sums.input = row[3]
        sums.cached = row[4]
        sums.output = row[5]
        sums.reasoning = row[6]
        sums.cost = Money(nanoUSD: row[7])
        sums.baseline = Money(nanoUSD: row[8])
        sums.baselinePriced = row[9]
        sums.baselinePricedCost = Money(nanoUSD: row[10])
        sums.latency = LatencyHistogram(text: row[11])
    }

    mutating func merge(_ other: Accumulator) {
        sums.requests += other.sums.requests
        sums.errors += other.sums.errors
        sums.fallbacks += other.sums.fallbacks
        sums.input += other.sums.input
        sums.cached += other.sums.cached
        sums.output += other.sums.output
        sums.reasoning += other.sums.reasoning
        sums.cost += other.sums.cost
        sums.baseline += other.sums.baseline
        sums.baselinePriced += other.sums.baselinePriced
        sums.baselinePricedCost += other.sums.baselinePricedCost
        sums.latency.merge(other.sums.latency)
    }

    var figures: TrafficReport.Figures {
        var figures = TrafficReport.Figures()
        figures.requests = sums.requests
        figures.errors = sums.errors
        figures.fallbacks = sums.fallbacks
        let requests = Double(max(1, sums.requests))
        figures.errorRate = Double(sums.errors) / requests
        figures.fallbackRate = Double(sums.fallbacks) / requests
        (figures.inputTokens, figures.cachedInputTokens, figures.outputTokens, figures.reasoningTokens) = (sums.input, sums.cached, sums.output, sums.reasoning)
        figures.spendNusd = sums.cost.nanoUSD
        figures.baselineSpendNusd = sums.baseline.nanoUSD
        figures.baselinePricedRequests = sums.baselinePriced
        figures.savingsNusd = (sums.baseline - sums.baselinePricedCost).nanoUSD
        figures.savingsShare = sums.baseline > .zero ? Double(figures.savingsNusd) / Double(sums.baseline.nanoUSD) : nil
        figures.latencyP50Ms = sums.latency.percentile(0.5)
        figures.latencyP95Ms = sums.latency.percentile(0.95)
        figures.latencyP99Ms = sums.latency.percentile(0.99)
        return figures
    }
}
