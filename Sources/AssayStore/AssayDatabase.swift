import AssayCore
import Foundation
import GRDB

/// Assay's SQLite database: one `Sendable` value over a GRDB writer, migrated on open.
///
/// On disk it is a `DatabasePool` in WAL mode (readers never block the writer) with a busy
/// timeout, so `assay catalog build` can read while a run writes.
public struct AssayDatabase: Sendable {
    public let writer: any DatabaseWriter
    public let path: String

    /// Opens (creating folders and file as needed) and migrates the database at `path`.
    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try self.init(writer: pool, path: path)
        } catch let error as DatabaseError {
            throw AssayError(.database, "cannot open the database \(path): \(error.message ?? "\(error)")",
                             hint: "check the path and its permissions, or pass --database PATH")
        }
    }

    /// An in-memory database, for tests.
    package static func inMemory() throws -> AssayDatabase {
        do { return try AssayDatabase(writer: DatabaseQueue(), path: ":memory:") } catch { throw mapped(error) }
    }

    init(writer: any DatabaseWriter, path: String) throws {
        self.writer = writer
        self.path = path
        try Migrations.migrator.migrate(writer)
    }

    /// Names of the migrations applied, oldest first.
    package func appliedMigrations() throws -> [String] {
        try reading { db in try Migrations.migrator.appliedMigrations(db) }
    }

    /// The journal mode in force (`wal` on disk).
    package func journalMode() throws -> String {
        try reading { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
