import AssayCore
import Foundation
import GRDB

/// The traffic log's SQLite file (`serve.traffic.database`, default `results/traffic.sqlite`),
/// apart from the measurement database so serving never waits on a run's writes. Each request
/// is a row of `request` (and of `capture` when its prompt was captured); `daily` rolls them up
/// per day, key, endpoint, task, model and effort, so a report over millions of requests reads
/// a few thousand rows. Retention trims `request` by age and count; `daily` is kept.
public struct TrafficDatabase: Sendable {
    package let writer: any DatabaseWriter
    public let path: String

    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            try self.init(writer: try DatabasePool(path: path, configuration: configuration), path: path)
        } catch let error as DatabaseError {
            throw AssayError(.database, "cannot open the traffic log \(path): \(error.message ?? "\(error)")",
                             hint: "check the path and its permissions (serve.traffic.database)")
        }
    }

    package static func inMemory() throws -> TrafficDatabase { try TrafficDatabase(writer: DatabaseQueue(), path: ":memory:") }

    init(writer: any DatabaseWriter, path: String) throws {
        self.writer = writer
        self.path = path
        try Self.migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Rendered from the shared description (TrafficSchema), the same tables as the PostgreSQL store's.
        migrator.registerMigration(TrafficSchema.version1Name) { db in
            for statement in TrafficSchema.version1.flatMap(\.sqlite) { try db.execute(sql: statement) }
        }
        return migrator
    }
}
