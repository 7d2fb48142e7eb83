import AssayCore
import AssayHarness
import AssayPostgres
import Testing

@Suite("Config: postgres")
struct PostgresConfigTests {
    @Test("postgres: reads the URL, the password's variable, TLS and the pool size")
    func reads() throws {
        let config = try ConfigLoader.parse("""
            postgres:
              url: postgres://assay@db.internal:5433/assay
              password_env: ASSAY_PG_PASSWORD
              tls: require
              max_connections: 4
            """, file: "assay.yaml")
        let settings = try #require(config.postgres)
        #expect(settings == PostgresSettings(host: "db.internal", port: 5433, user: "assay", database: "assay",
                                             passwordEnv: "ASSAY_PG_PASSWORD", tls: .require, maxConnections: 4))
        #expect(try ConfigLoader.parse("database: x.sqlite\n", file: "assay.yaml").postgres == nil)
    }

    @Test("bad postgres values are reported with their lines, all at once, and a password in the URL is never echoed")
    func diagnostics() throws {
        let text = """
            postgres:
              url: postgres://assay:hunter2@db:5432/assay
              password_env: "s3cr3t pass!"
              tls: maybe
              max_connections: 0
              pool: 3
            """
        do {
            _ = try ConfigLoader.parse(text, file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:2:") && $0.contains("carries a password") && $0.contains("password_env") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:3:") && $0.contains("name of an environment variable") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:4:") && $0.contains("expected disable, prefer, require") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:5:") && $0.contains("max_connections") })
            #expect(lines.contains { $0.hasPrefix("assay.yaml:6:") && $0.contains("unknown key 'pool'") })
            #expect(!lines.joined().contains("hunter2"))
            #expect(!lines.joined().contains("s3cr3t"))
        }
    }

    @Test("a postgres section without a URL says what to write", arguments: ["postgres: {password_env: X}\n", "postgres:\n  url: mysql://a@b/c\n"])
    func missingURL(_ text: String) throws {
        do {
            _ = try ConfigLoader.parse(text, file: "assay.yaml")
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.map(\.description).contains { $0.contains("postgres://") })
        }
    }
}
