import AssayPostgres

/// The traffic log's tables, described once: the SQLite file's migration and the PostgreSQL
/// store's are both rendered from these (`SchemaTable`), so the two stores cannot drift apart.
/// Shipped descriptions are frozen like any migration: a change is a new migration.
package enum TrafficSchema {
    static func count(_ name: String) -> SchemaColumn { SchemaColumn(name, .integer, notNull: true, check: "\(name) >= 0") }
    static func sum(_ name: String) -> SchemaColumn { SchemaColumn(name, .integer, notNull: true) }

    /// One row per request.
    package static let request = SchemaTable("request", columns: [
        SchemaColumn("id", .rowID),
        SchemaColumn("at_ms", .integer, notNull: true),
        SchemaColumn("day", .integer, notNull: true),
        SchemaColumn("client", .text),
        SchemaColumn("endpoint", .text, notNull: true),
        SchemaColumn("requested_model", .text, notNull: true),
        SchemaColumn("stream", .integer, notNull: true, check: "stream IN (0, 1)"),
        SchemaColumn("task", .text),
        SchemaColumn("task_source", .text),
        SchemaColumn("task_confidence", .real),
        SchemaColumn("model", .text),
        SchemaColumn("effort", .text),
        SchemaColumn("catalog_sha256", .text),
        count("fallbacks"),
        SchemaColumn("status", .integer, notNull: true),
        SchemaColumn("error", .text),
        count("latency_ms"),
        SchemaColumn("ttft_ms", .integer),
        count("input_tokens"), count("cached_input_tokens"), count("output_tokens"), count("reasoning_tokens"),
        SchemaColumn("cost_nusd", .integer, check: "cost_nusd >= 0"),
        SchemaColumn("baseline_cost_nusd", .integer, check: "baseline_cost_nusd >= 0"),
    ], indexes: [.init("request_at", on: ["at_ms"])])

    /// The redacted prompt and answer of a captured request.
    package static let capture = SchemaTable("capture", columns: [
        SchemaColumn("request_id", .integer, references: "request(id)", primaryKey: true),
        SchemaColumn("prompt", .text, notNull: true),
        SchemaColumn("answer", .text, notNull: true),
    ])

    /// Requests summed per day, key, endpoint, task, model and effort: what reports read.
    package static let daily = SchemaTable("daily", columns: [
        sum("day"),
        SchemaColumn("client", .text, notNull: true), SchemaColumn("endpoint", .text, notNull: true),
        SchemaColumn("task", .text, notNull: true), SchemaColumn("model", .text, notNull: true), SchemaColumn("effort", .text, notNull: true),
        sum("requests"), sum("errors"), sum("fallbacks"), sum("input_tokens"), sum("cached_input_tokens"), sum("output_tokens"),
        sum("reasoning_tokens"), sum("cost_nusd"), sum("baseline_cost_nusd"), sum("baseline_priced"), sum("baseline_priced_cost_nusd"),
        SchemaColumn("latency_histogram", .text, notNull: true),
    ], primaryKey: ["day", "client", "endpoint", "task", "model", "effort"], withoutRowID: true)

    /// The first traffic migration, in the order its tables depend on each other.
    package static let version1 = [request, capture, daily]
    package static let version1Name = "2026-12-07-traffic"

    /// The PostgreSQL store's migrations.
    package static var postgresMigrations: [PostgresMigration] {
        [PostgresMigration(name: version1Name, statements: version1.flatMap(\.postgres))]
    }
}
