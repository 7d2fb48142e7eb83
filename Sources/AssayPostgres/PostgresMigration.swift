/// One step of a PostgreSQL schema, identified by its name: applied once, in a transaction, and
/// never edited after it ships (a change is a new migration), as the SQLite stores' migrations.
public struct PostgresMigration: Sendable, Hashable {
    /// A dated name such as `2026-12-07-traffic`; the `assay_migrations` table remembers it.
    public var name: String
    /// Statements run in order (one statement each: the extended protocol takes no batches).
    public var statements: [String]

    public init(name: String, statements: [String]) {
        self.name = name
        self.statements = statements
    }
}
