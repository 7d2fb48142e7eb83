import AssayCore
import AssayPostgres
import Testing

@Suite("postgres settings")
struct PostgresSettingsTests {
    @Test("reads user, host, port and database from a postgres:// URL")
    func readsURL() throws {
        let settings = try PostgresSettings(url: "postgres://assay@db.internal:6543/traffic")
        #expect(settings.user == "assay")
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.database == "traffic")
        #expect(settings.url == "postgres://assay@db.internal:6543/traffic")
        #expect(try PostgresSettings(url: "postgresql://u@[::1]/d").host == "::1")
        #expect(try PostgresSettings(url: "postgres://u@h/d").port == 5432)
    }

    @Test("refuses a URL with a password without repeating it", arguments: [
        "postgres://assay:hunter2-secret@db:5432/traffic", "postgres://assay:hunter2-secret@db/traffic",
    ])
    func refusesPassword(_ url: String) {
        do {
            _ = try PostgresSettings(url: url)
            Issue.record("a URL with a password was accepted")
        } catch {
            #expect(error.description.contains("password_env"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("names what is wrong with a bad URL", arguments: [
        ("mysql://u@h/d", "expected postgres://"), ("postgres://h:5432/d", "name the user"), ("postgres://u@h:5432", "name the database"),
        ("postgres://u@h:99999/d", "port"), ("postgres://u@h:x/d", "port"), ("postgres://u@/d", "name the host"),
        ("postgres://u@h/d;drop", "database name"), ("postgres://u u@h/d", "user"),
    ])
    func badURL(_ url: String, _ expected: String) {
        #expect(throws: PostgresSettings.URLProblem.self) { try PostgresSettings(url: url) }
        do { _ = try PostgresSettings(url: url) } catch { #expect(error.description.contains(expected), "\(error.description)") }
    }

    @Test("an unset password variable is a config error that names the variable")
    func unsetPassword() throws {
        var settings = try PostgresSettings(url: "postgres://assay@127.0.0.1:5432/assay")
        settings.passwordEnv = "ASSAY_PG_PASSWORD_UNSET"
        let error = #expect(throws: AssayError.self) {
            _ = try PostgresStore(settings: settings, environment: [:], logger: .init(label: "test"))
        }
        #expect(error?.code == .config)
        #expect(error?.message.contains("ASSAY_PG_PASSWORD_UNSET") == true)
    }
}
