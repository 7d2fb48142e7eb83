import Foundation
import GRDB

/// A row of `run`: one invocation of `assay run`, `demo` or `nightly`.
public struct RunRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "run"
    public var id: Int64?
    public var trigger: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var budgetNusd: Int64?
    public var spentNusd: Int64
    public var status: RunStatus
    public var configSha256: String
    public var note: String?
    /// The run's selection as JSON (`RunOptions`), for `assay run --resume`.
    public var optionsJson: String?
    /// The run that finished this one's work (`assay run --resume`).
    public var resumedBy: Int64?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `job`: one (model, effort, suite version, epoch); unique, so a rerun never pays twice.
public struct JobRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "job"
    public var id: Int64?
    public var runId: Int64
    public var provider: String
    public var model: String
    public var effort: String
    public var suiteId: Int64
    public var suiteSha256: String
    public var epoch: Int
    public var status: JobStatus
    public var attempts: Int
    public var note: String?
    public var createdAt: Date
    public var finishedAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `catalog_build`: one generated catalog.
public struct CatalogBuildRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "catalog_build"
    public var id: Int64?
    public var generatedAt: Date
    public var sha256: String
    public var path: String
    public var summary: String

    public init(generatedAt: Date, sha256: String, path: String, summary: String) {
        self.generatedAt = generatedAt
        self.sha256 = sha256
        self.path = path
        self.summary = summary
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
