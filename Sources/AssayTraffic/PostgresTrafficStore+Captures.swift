import AssayCore
import Foundation
import PostgresNIO

extension PostgresTrafficStore {
    /// Captured requests that were answered (status 200), oldest first, from `since` on: every
    /// replica's captures, as `TrafficDatabase.captures` reads one file's.
    package func captures(since: Date? = nil) async throws -> [CapturedRequest] {
        let cutoff = since.map { Int64(($0.timeIntervalSince1970 * 1_000).rounded()) } ?? Int64.min
        let rows = try await store.query("""
            SELECT r.id, r.at_ms, r.task, r.model, r.effort, c.prompt, c.answer
            FROM capture c JOIN request r ON r.id = c.request_id
            WHERE r.status = 200 AND r.at_ms >= \(cutoff) ORDER BY r.id
            """, doing: "reading the captured requests")
        return try rows.map { row in
            let (id, at, task, model, effort, prompt, answer) = try row.decode((Int64, Int64, String?, String?, String?, String, String).self)
            return CapturedRequest(id: id, at: Date(timeIntervalSince1970: Double(at) / 1_000), task: task, model: model, effort: effort,
                                   prompt: prompt, answer: answer)
        }
    }
}
