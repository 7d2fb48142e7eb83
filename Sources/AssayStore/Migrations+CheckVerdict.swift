import GRDB

extension Migrations {
    /// A judge's verdict on a stored answer whose item is graded otherwise (issue 17: a cascade's
    /// `judge` check, `assay regrade --judge-check`): one row per sample and judge, beside the
    /// sample's own grade, with the call's tokens and cost so the replay can price the check.
    static func checkVerdict(_ db: Database) throws {
        try db.create(table: "check_verdict", options: [.strict]) { t in
            t.column("sample_id", .integer).notNull().references("sample", onDelete: .cascade)
            t.column("judge", .text).notNull()
            t.column("score", .real).check { $0 == nil || ($0 >= 0 && $0 <= 1) }
            t.column("verdict", .text)
            t.column("input_tokens", .integer).notNull().defaults(to: 0)
            t.column("output_tokens", .integer).notNull().defaults(to: 0)
            t.column("cost_nusd", .integer)
            t.column("error_message", .text)
            t.column("checked_at", .text).notNull()
            t.primaryKey(["sample_id", "judge"])
        }
    }
}
