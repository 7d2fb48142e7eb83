import Foundation
import GRDB

/// A row of `run`: one invocation of `assay run`, `demo` or `nightly`.
package struct RunRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "run"
    package var id: Int64?
    package var trigger: String
    package var startedAt: Date
    package var finishedAt: Date?
    package var budgetNusd: Int64?
    package var spentNusd: Int64
    package var status: RunStatus
    package var configSha256: String
    package var note: String?
    /// The run's selection as JSON (`RunOptions`), for `assay run --resume`.
    package var optionsJson: String?
    /// The run that finished this one's work (`assay run --resume`).
    package var resumedBy: Int64?

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `job`: one (model, effort, suite version, epoch); unique, so a rerun never pays twice.
package struct JobRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "job"
    package var id: Int64?
    package var runId: Int64
    package var provider: String
    package var model: String
    package var effort: String
    package var suiteId: Int64
    package var suiteSha256: String
    package var epoch: Int
    package var status: JobStatus
    package var attempts: Int
    package var note: String?
    package var createdAt: Date
    package var finishedAt: Date?

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `catalog_build`: one generated catalog.
package struct CatalogBuildRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "catalog_build"
    package var id: Int64?
    package var generatedAt: Date
    package var sha256: String
    package var path: String
    package var summary: String

    package init(generatedAt: Date, sha256: String, path: String, summary: String) {
        self.generatedAt = generatedAt
        self.sha256 = sha256
        self.path = path
        self.summary = summary
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
