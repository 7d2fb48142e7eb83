import AssayCore
import Foundation
import GRDB

/// The traffic log's SQLite file (`serve.traffic.database`, default `results/traffic.sqlite`),
/// apart from the measurement database so serving never waits on a run's writes. Each request
/// is a row of `request` (and of `capture` when its prompt was captured); `daily` rolls them up
/// per day, key, endpoint, task, model and effort, so a report over millions of requests reads
/// a few thousand rows. Retention trims `request` by age and count; `daily` is kept.
public struct TrafficDatabase: Sendable {
    let writer: any DatabaseWriter
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
        migrator.registerMigration("2026-12-07-traffic") { db in
            try db.execute(sql: """
                CREATE TABLE request (
                    id INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    day INTEGER NOT NULL,
                    client TEXT,
                    endpoint TEXT NOT NULL,
                    requested_model TEXT NOT NULL,
                    stream INTEGER NOT NULL CHECK (stream IN (0, 1)),
                    task TEXT,
                    task_source TEXT,
                    task_confidence REAL,
                    model TEXT,
                    effort TEXT,
                    catalog_sha256 TEXT,
                    fallbacks INTEGER NOT NULL CHECK (fallbacks >= 0),
                    status INTEGER NOT NULL,
                    error TEXT,
                    latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0),
                    ttft_ms INTEGER,
                    input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
                    cached_input_tokens INTEGER NOT NULL CHECK (cached_input_tokens >= 0),
                    output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
                    reasoning_tokens INTEGER NOT NULL CHECK (reasoning_tokens >= 0),
                    cost_nusd INTEGER CHECK (cost_nusd >= 0),
                    baseline_cost_nusd INTEGER CHECK (baseline_cost_nusd >= 0)
                ) STRICT;
                CREATE INDEX request_at ON request(at_ms);
                CREATE TABLE capture (
                    request_id INTEGER PRIMARY KEY REFERENCES request(id) ON DELETE CASCADE,
                    prompt TEXT NOT NULL,
                    answer TEXT NOT NULL
                ) STRICT;
                CREATE TABLE daily (
                    day INTEGER NOT NULL,
                    client TEXT NOT NULL,
                    endpoint TEXT NOT NULL,
                    task TEXT NOT NULL,
                    model TEXT NOT NULL,
                    effort TEXT NOT NULL,
                    requests INTEGER NOT NULL,
                    errors INTEGER NOT NULL,
                    fallbacks INTEGER NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    cached_input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    reasoning_tokens INTEGER NOT NULL,
                    cost_nusd INTEGER NOT NULL,
                    baseline_cost_nusd INTEGER NOT NULL,
                    baseline_priced INTEGER NOT NULL,
                    baseline_priced_cost_nusd INTEGER NOT NULL,
                    latency_histogram TEXT NOT NULL,
                    PRIMARY KEY (day, client, endpoint, task, model, effort)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        // A cascade request's path, check and the cost of each step (docs/cascades.md, "In the server").
        migrator.registerMigration("2026-12-07-cascade") { db in
            try db.execute(sql: """
                ALTER TABLE request ADD COLUMN cascade_path TEXT CHECK (cascade_path IN ('worker', 'advisor'));
                ALTER TABLE request ADD COLUMN cascade_check TEXT;
                ALTER TABLE request ADD COLUMN worker_cost_nusd INTEGER CHECK (worker_cost_nusd >= 0);
                ALTER TABLE request ADD COLUMN check_cost_nusd INTEGER CHECK (check_cost_nusd >= 0);
                ALTER TABLE request ADD COLUMN advisor_cost_nusd INTEGER CHECK (advisor_cost_nusd >= 0);
                """)
        }
        return migrator
    }
}
