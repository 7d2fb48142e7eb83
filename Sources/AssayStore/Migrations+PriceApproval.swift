import GRDB

extension Migrations {
    /// Prices are judged against the last approved price (issue 22): `price.approved` marks the
    /// rows a person approved, a first scrape bootstrapped or the config set (rows recorded
    /// before this migration count as approved). Quarantine gains the kinds `new` (a source,
    /// model or dimension never approved) and `zero` (a first price of zero).
    static func priceApproval(_ db: Database) throws {
        try db.alter(table: "price") { t in
            t.add(column: "approved", .integer).notNull().defaults(to: 1).check { [0, 1].contains($0) }
        }
        // SQLite cannot change a CHECK in place: rebuild the table with the new kinds.
        try db.create(table: "price_quarantine_new", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("source", .text).notNull()
            t.column("url", .text)
            t.column("provider", .text)
            t.column("model", .text)
            t.column("kind", .text).notNull().check { ["layout", "jump", "vanished", "new", "zero"].contains($0) }
            t.column("message", .text).notNull()
            t.column("observations", .text).notNull().defaults(to: "[]")
            t.column("excerpt_sha256", .text)
            t.column("fetched_at", .text).notNull()
            t.column("status", .text).notNull().defaults(to: "pending")
                .check { ["pending", "approved", "superseded"].contains($0) }
            t.column("resolved_at", .text)
        }
        try db.execute(sql: "INSERT INTO price_quarantine_new SELECT * FROM price_quarantine")
        try db.drop(table: "price_quarantine")
        try db.rename(table: "price_quarantine_new", to: "price_quarantine")
    }
}
