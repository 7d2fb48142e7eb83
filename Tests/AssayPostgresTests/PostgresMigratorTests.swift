import AssayCore
@testable import AssayPostgres
import AssayTestSupport
import PostgresNIO
import Testing

@Suite("postgres migrations, on a real server")
struct PostgresMigratorTests {
    static let migrations = [
        PostgresMigration(name: "2026-12-07-a", statements: ["CREATE TABLE a (id BIGINT PRIMARY KEY)"]),
        PostgresMigration(name: "2026-12-07-b", statements: ["ALTER TABLE a ADD COLUMN note TEXT", "CREATE INDEX a_note ON a(note)"]),
    ]

    @Test("applies each migration once, by name, even when three processes migrate at the same moment")
    func appliesOnce() async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            let stores = try (0..<3).map { _ in
                try PostgresStore(settings: server.settings(database: database), environment: server.environment, logger: Fixtures.quietLogger)
            }
            try await stores[0].withRunning { first in
                try await stores[1].withRunning { second in
                    try await stores[2].withRunning { third in
                        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                            for store in [first, second, third] { group.addTask { try await PostgresMigrator.migrate(store, Self.migrations) } }
                            return try await group.reduce(into: []) { $0 += $1 }
                        }
                        #expect(applied.sorted() == ["2026-12-07-a", "2026-12-07-b"])
                        #expect(try await PostgresMigrator.appliedNames(first) == ["2026-12-07-a", "2026-12-07-b"])
                        #expect(try await PostgresMigrator.migrate(second, Self.migrations).isEmpty)
                        try await first.query("INSERT INTO a (id, note) VALUES (1, 'x')", doing: "a test insert")
                        let count = try await third.query("SELECT count(*) FROM a", doing: "a test count").first?.decode(Int.self)
                        #expect(count == 1)
                    }
                }
            }
        }
    }

    @Test("a failing migration leaves nothing behind and is not recorded")
    func failingMigrationRollsBack() async throws {
        try await PostgresServer.withRunning { server in
            let database = try await server.createDatabase()
            let store = try PostgresStore(settings: server.settings(database: database), environment: server.environment,
                                          logger: Fixtures.quietLogger)
            try await store.withRunning { store in
                let broken = PostgresMigration(name: "2026-12-07-broken", statements: ["CREATE TABLE half (id BIGINT)", "CREATE TABLE oops ("])
                let error = await #expect(throws: AssayError.self) { try await PostgresMigrator.migrate(store, [broken]) }
                #expect(error?.code == .database)
                #expect(error?.message.contains("2026-12-07-broken") == true)
                let half = try await store.query("SELECT to_regclass('half') IS NULL", doing: "a test look-up").first?.decode(Bool.self)
                #expect(half == true)
                #expect(try await PostgresMigrator.appliedNames(store).isEmpty)
            }
        }
    }

    @Test("a wrong password fails with the URL and without the password")
    func wrongPassword() async throws {
        try await PostgresServer.withRunning { server in
            let store = try PostgresStore(settings: server.settings(), environment: [PostgresServer.passwordVariable: "wrong-secret-5150"],
                                          logger: Fixtures.quietLogger)
            let error = await #expect(throws: AssayError.self) { try await store.check() }
            #expect(error?.code == .database)
            #expect(error?.description.contains("127.0.0.1:\(server.port)") == true)
            #expect(error?.description.contains("password authentication failed") == true)
            #expect(error?.description.contains("wrong-secret-5150") == false)
            #expect(error?.description.contains(server.password) == false)
            let right = try PostgresStore(settings: server.settings(), environment: server.environment, logger: Fixtures.quietLogger)
            try await right.check()
        }
    }
}
