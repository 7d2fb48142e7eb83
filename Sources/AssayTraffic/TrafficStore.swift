import Foundation

/// Where the traffic log's rows go: the SQLite file (`TrafficDatabase`, one machine, the
/// default) or the shared PostgreSQL store (`PostgresTrafficStore`, replicas behind a load
/// balancer). `TrafficLog` writes batches to it off the request path; `assay report` reads it.
public protocol TrafficStore: Sendable {
    /// Stores `entries` and adds them to the daily rollups, in one transaction.
    func write(_ entries: [TrafficEntry]) async throws
    /// Deletes requests older than `maxAgeDays` before `now`, then the oldest past `maxRows`; returns how many.
    func trim(maxAgeDays: Int, maxRows: Int, now: Date) async throws -> Int
    /// The report over UTC days `from`…`to`, grouped by `dimension`.
    func report(from: Int, to: Int, by dimension: TrafficReport.Dimension) async throws -> TrafficReport
    /// Rows of `request`.
    func requestCount() async throws -> Int
    /// Where the rows are, for messages (a path, or a URL without a password).
    var location: String { get }
}

extension TrafficDatabase: TrafficStore {
    public var location: String { path }
}
