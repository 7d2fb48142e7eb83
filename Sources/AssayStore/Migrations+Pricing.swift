import GRDB

extension Migrations {
    /// Tables for the pricing tracker (issue 4): every fetch of a source, with its validators
    /// (ETag, Last-Modified) for conditional requests, and quarantined observations awaiting
    /// `assay prices approve`.
    static func pricingTracker(_ db: Database) throws {
        try db.create(table: "price_fetch", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("source", .text).notNull()
            t.column("url", .text).notNull()
            t.column("fetched_at", .text).notNull()
            t.column("http_status", .integer).notNull()
            t.column("etag", .text)
            t.column("last_modified", .text)
            t.column("body_sha256", .text)
            t.column("extractor_sha256", .text)
            t.column("outcome", .text).notNull()
        }
        try db.create(index: "price_fetch_by_source", on: "price_fetch", columns: ["source", "id"])
        try db.create(table: "price_quarantine", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("source", .text).notNull()
            t.column("url", .text)
            t.column("provider", .text)
            t.column("model", .text)
            t.column("kind", .text).notNull().check { ["layout", "jump", "vanished"].contains($0) }
            t.column("message", .text).notNull()
            t.column("observations", .text).notNull().defaults(to: "[]")
            t.column("excerpt_sha256", .text)
            t.column("fetched_at", .text).notNull()
            t.column("status", .text).notNull().defaults(to: "pending")
                .check { ["pending", "approved", "superseded"].contains($0) }
            t.column("resolved_at", .text)
        }
    }
}
