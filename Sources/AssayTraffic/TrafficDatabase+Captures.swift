import AssayCore
import Foundation
import GRDB

/// One captured request as `assay suites from-traffic` reads it: the redacted prompt and answer,
/// the task it was routed as, and the model that answered.
package struct CapturedRequest: Sendable, Hashable {
    package var id: Int64
    package var at: Date
    package var task: String?
    package var model: String?
    package var effort: String?
    /// The conversation as captured: one `role: content` line (or block) per message.
    package var prompt: String
    package var answer: String

    package init(id: Int64, at: Date, task: String?, model: String?, effort: String?, prompt: String, answer: String) {
        (self.id, self.at, self.task, self.model, self.effort, self.prompt, self.answer) = (id, at, task, model, effort, prompt, answer)
    }
}

extension TrafficDatabase {
    /// Opens an existing traffic log for reading; a missing file is an error naming what writes it.
    package static func existing(path: String) throws -> TrafficDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw AssayError(.notFound, "no traffic log at \(path)",
                             hint: "'assay serve' writes it (serve.traffic); pass --traffic FILE to read another one")
        }
        return try TrafficDatabase(path: path)
    }

    /// Captured requests that were answered (status 200), oldest first, from `since` on.
    package func captures(since: Date? = nil) throws -> [CapturedRequest] {
        let cutoff = since.map { Int64(($0.timeIntervalSince1970 * 1_000).rounded()) } ?? Int64.min
        do {
            return try writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT r.id, r.at_ms, r.task, r.model, r.effort, c.prompt, c.answer
                    FROM capture c JOIN request r ON r.id = c.request_id
                    WHERE r.status = 200 AND r.at_ms >= ? ORDER BY r.id
                    """, arguments: [cutoff]).map { row in
                    CapturedRequest(id: row[0], at: Date(timeIntervalSince1970: Double(row[1] as Int64) / 1_000), task: row[2],
                                    model: row[3], effort: row[4], prompt: row[5], answer: row[6])
                }
            }
        } catch let error as DatabaseError {
            throw AssayError(.database, "cannot read the traffic log \(path): \(error.message ?? "\(error)")",
                             hint: "is it a traffic log written by 'assay serve'?")
        }
    }
}
