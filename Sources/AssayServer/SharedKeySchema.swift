import AssayPostgres

/// The client keys and their usage counters on the shared PostgreSQL store (`postgres:`): one
/// key table every replica reads, and per-key counts of requests per UTC minute and spend per
/// UTC day that every replica adds its local counts to (`SharedLimits`).
enum SharedKeySchema {
    static let clientKey = SchemaTable("client_key", columns: [
        SchemaColumn("name", .text, primaryKey: true),
        SchemaColumn("sha256", .text, notNull: true, check: "length(sha256) = 64"),
        SchemaColumn("rpm", .integer, check: "rpm >= 0"),
        SchemaColumn("daily_budget_usd", .text),
        SchemaColumn("max_tokens", .integer, check: "max_tokens >= 1"),
        SchemaColumn("created_at", .text, notNull: true),
    ], indexes: [.init("client_key_sha256", on: ["sha256"])])

    static let keyMinute = SchemaTable("key_minute", columns: [
        SchemaColumn("name", .text, notNull: true),
        SchemaColumn("minute", .integer, notNull: true),
        SchemaColumn("requests", .integer, notNull: true, check: "requests >= 0"),
    ], primaryKey: ["name", "minute"], withoutRowID: true)

    static let keyDay = SchemaTable("key_day", columns: [
        SchemaColumn("name", .text, notNull: true),
        SchemaColumn("day", .integer, notNull: true),
        SchemaColumn("spend_nusd", .integer, notNull: true, check: "spend_nusd >= 0"),
    ], primaryKey: ["name", "day"], withoutRowID: true)

    static let migrations = [
        PostgresMigration(name: "2026-12-07-client-keys", statements: [clientKey, keyMinute, keyDay].flatMap(\.postgres)),
    ]
}
