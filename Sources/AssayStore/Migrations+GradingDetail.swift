import GRDB

extension Migrations {
    /// What a grader recorded beyond the score: per-test results of `python-tests` as JSON
    /// (`grade_detail`), and for `judge` the judge's identity and its raw verdict.
    static func gradingDetail(_ db: Database) throws {
        try db.alter(table: "sample") { t in
            t.add(column: "grade_detail", .text)
            t.add(column: "judge", .text)
            t.add(column: "judge_verdict", .text)
        }
    }
}
