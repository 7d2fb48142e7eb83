import GRDB

/// The schema, as named migrations. A shipped migration is frozen: never edit one, add another.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-23-initial-schema", migrate: initialSchema)
        migrator.registerMigration("2026-11-23-pricing-tracker", migrate: pricingTracker)
        migrator.registerMigration("2026-11-23-run-options", migrate: runOptions)
        migrator.registerMigration("2026-11-23-grading-detail", migrate: gradingDetail)
        migrator.registerMigration("2026-12-07-price-approval", migrate: priceApproval)
        migrator.registerMigration("2026-12-07-check-verdict", migrate: checkVerdict)
        return migrator
    }

    /// Tables: model, price, suite, item, run, job, sample, catalog_build (see docs/database.md).
    static func initialSchema(_ db: Database) throws {
        try db.create(table: "model", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("provider", .text).notNull()
            t.column("name", .text).notNull()
            t.column("first_seen", .text).notNull()
            t.column("last_seen", .text).notNull()
            t.column("created", .text)
            t.column("context_window", .integer)
            t.column("capabilities", .text).notNull().defaults(to: "{}")
            t.column("status", .text).notNull().defaults(to: "active")
                .check { ["active", "deprecated", "gone"].contains($0) }
            t.uniqueKey(["provider", "name"])
        }
        try db.create(table: "price", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("provider", .text).notNull()
            t.column("model", .text).notNull()
            t.column("dimension", .text).notNull()
            t.column("nusd_per_mtok", .integer).notNull()
            t.column("currency", .text).notNull().defaults(to: "USD")
            t.column("tier_min_tokens", .integer)
            t.column("tier_max_tokens", .integer)
            t.column("effective_from", .text).notNull()
            t.column("effective_to", .text)
            t.column("source", .text).notNull()
            t.column("url", .text)
            t.column("fetched_at", .text).notNull()
            t.column("excerpt_sha256", .text)
            t.column("status", .text).notNull().defaults(to: "applied")
                .check { ["applied", "quarantined"].contains($0) }
        }
        try db.create(index: "price_by_model", on: "price", columns: ["provider", "model", "dimension", "effective_to"])
        try db.create(table: "suite", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull()
            t.column("task", .text).notNull()
            t.column("version", .integer).notNull()
            t.column("content_sha256", .text).notNull()
            t.column("item_count", .integer).notNull()
            t.column("file", .text).notNull()
            t.column("loaded_at", .text).notNull()
            t.uniqueKey(["name", "content_sha256"])
        }
        try db.create(table: "item", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("suite_id", .integer).notNull().references("suite", onDelete: .cascade)
            t.column("item_key", .text).notNull()
            t.column("prompt_sha256", .text).notNull()
            t.column("cluster", .text)
            t.column("difficulty", .integer)
            t.uniqueKey(["suite_id", "item_key"])
        }
        try db.create(table: "run", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("trigger", .text).notNull()
            t.column("started_at", .text).notNull()
            t.column("finished_at", .text)
            t.column("budget_nusd", .integer)
            t.column("spent_nusd", .integer).notNull().defaults(to: 0)
            t.column("status", .text).notNull().defaults(to: "running")
                .check { ["running", "finished", "failed", "interrupted"].contains($0) }
            t.column("config_sha256", .text).notNull()
            t.column("note", .text)
        }
        try db.create(table: "job", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("run_id", .integer).notNull().references("run")
            t.column("provider", .text).notNull()
            t.column("model", .text).notNull()
            t.column("effort", .text).notNull()
            t.column("suite_id", .integer).notNull().references("suite")
            t.column("suite_sha256", .text).notNull()
            t.column("epoch", .integer).notNull()
            t.column("status", .text).notNull().defaults(to: "pending")
                .check { ["pending", "running", "done", "failed", "skipped"].contains($0) }
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("note", .text)
            t.column("created_at", .text).notNull()
            t.column("finished_at", .text)
            t.uniqueKey(["provider", "model", "effort", "suite_sha256", "epoch"])
        }
        try db.create(table: "sample", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("job_id", .integer).notNull().references("job", onDelete: .cascade)
            t.column("item_id", .integer).notNull().references("item")
            t.column("epoch", .integer).notNull()
            t.column("status", .text).notNull().check { ["ok", "error"].contains($0) }
            t.column("response", .text)
            t.column("score", .real)
            t.column("passed", .integer)
            t.column("grader", .text)
            t.column("grade_reason", .text)
            t.column("input_tokens", .integer).notNull().defaults(to: 0)
            t.column("cached_input_tokens", .integer).notNull().defaults(to: 0)
            t.column("cache_write_tokens", .integer).notNull().defaults(to: 0)
            t.column("output_tokens", .integer).notNull().defaults(to: 0)
            t.column("reasoning_tokens", .integer).notNull().defaults(to: 0)
            t.column("cost_nusd", .integer).notNull().defaults(to: 0)
            t.column("latency_ms", .integer)
            t.column("ttft_ms", .integer)
            t.column("error_kind", .text)
            t.column("error_message", .text)
            t.column("created_at", .text).notNull()
            t.uniqueKey(["job_id", "item_id", "epoch"])
        }
        try db.create(table: "catalog_build", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("generated_at", .text).notNull()
            t.column("sha256", .text).notNull()
            t.column("path", .text).notNull()
            t.column("summary", .text).notNull()
        }
    }

    /// What a run was asked to measure, so `assay run --resume` can finish it, and which run did.
    static func runOptions(_ db: Database) throws {
        try db.alter(table: "run") { t in
            t.add(column: "options_json", .text)
            t.add(column: "resumed_by", .integer).references("run")
        }
    }
}
