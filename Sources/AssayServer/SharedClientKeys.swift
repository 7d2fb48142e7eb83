import AssayCore
import AssayPostgres
import PostgresNIO

/// `assay keys add|list|revoke` on the shared store: the same entries as the keys file (name,
/// SHA-256, limits), in the `client_key` table every replica reads within its sync interval.
package struct SharedClientKeys: Sendable {
    let store: PostgresStore

    package init(store: PostgresStore) { self.store = store }

    /// Creates the key tables if needed.
    package func migrate() async throws { try await PostgresMigrator.migrate(store, SharedKeySchema.migrations) }

    package func add(_ entry: ClientKeyFile.Entry) async throws {
        let rpm = entry.rpm.map(Int64.init), maxTokens = entry.maxTokens.map(Int64.init)
        let rows = try await store.query("""
            INSERT INTO client_key (name, sha256, rpm, daily_budget_usd, max_tokens, created_at)
            VALUES (\(entry.name), \(entry.sha256), \(rpm), \(entry.dailyBudgetUsd), \(maxTokens), \(entry.createdAt))
            ON CONFLICT (name) DO NOTHING RETURNING name
            """, doing: "adding key '\(entry.name)'")
        guard !rows.isEmpty else {
            throw AssayError(.usage, "a key named '\(entry.name)' already exists in \(store.settings.url)", hint: "revoke it first, or choose another name")
        }
    }

    package func list() async throws -> [ClientKeyFile.Entry] {
        try await store.query("SELECT name, sha256, rpm, daily_budget_usd, max_tokens, created_at FROM client_key ORDER BY created_at, name",
                              doing: "listing the client keys").map { row in
            let (name, sha256, rpm, budget, maxTokens, createdAt) = try row.decode((String, String, Int?, String?, Int?, String).self)
            return ClientKeyFile.Entry(name: name, sha256: sha256, rpm: rpm, createdAt: createdAt, dailyBudgetUsd: budget, maxTokens: maxTokens)
        }
    }

    /// Removes key `name`; every replica refuses it after its next sync.
    package func revoke(_ name: String) async throws {
        let rows = try await store.query("DELETE FROM client_key WHERE name = \(name) RETURNING name", doing: "revoking key '\(name)'")
        guard !rows.isEmpty else {
            throw AssayError(.notFound, "no key named '\(name)' in \(store.settings.url)", hint: "'assay keys list' shows the names")
        }
    }
}
