import AssayCore
import PostgresNIO

/// Applies named migrations to the shared store, each once and in its own transaction. Replicas
/// that start at the same moment take turns on an advisory lock, so a migration runs once
/// however many processes ask.
package enum PostgresMigrator {
    /// The lock every migrating process takes for the length of one migration's transaction.
    static let lockKey: Int64 = 0x4153_5341_594D_4947  // "ASSAYMIG"

    /// Applies the migrations of `migrations` that `assay_migrations` does not list, in order;
    /// returns the names applied now.
    @discardableResult
    package static func migrate(_ store: PostgresStore, _ migrations: [PostgresMigration]) async throws -> [String] {
        var applied: [String] = []
        for migration in migrations {
            let ran = try await store.transaction(doing: "migration \(migration.name)") { connection in
                _ = try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: store.logger)
                _ = try await connection.query("""
                    CREATE TABLE IF NOT EXISTS assay_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: store.logger)
                let seen = try await connection.query("SELECT 1 FROM assay_migrations WHERE name = \(migration.name)", logger: store.logger)
                for try await _ in seen { return false }
                for statement in migration.statements {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                }
                _ = try await connection.query("INSERT INTO assay_migrations (name) VALUES (\(migration.name))", logger: store.logger)
                return true
            }
            if ran { applied.append(migration.name) }
        }
        return applied
    }

    /// The names `assay_migrations` lists, oldest first (empty when no migration ever ran).
    package static func appliedNames(_ store: PostgresStore) async throws -> [String] {
        let exists = try await store.query("SELECT to_regclass('assay_migrations') IS NOT NULL", doing: "reading the migrations")
        guard try exists.first?.decode(Bool.self) == true else { return [] }
        return try await store.query("SELECT name FROM assay_migrations ORDER BY applied_at, name", doing: "reading the migrations")
            .map { try $0.decode(String.self) }
    }
}
