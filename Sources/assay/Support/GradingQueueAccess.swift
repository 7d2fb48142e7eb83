import AssayCore
import AssayHarness
import AssayPostgres
import Foundation

/// The job queue in the `postgres:` store of `config`, open for the time `body` takes
/// (`assay worker`, `assay run --workers`, `assay nightly --workers`).
func withGradingQueue<T: Sendable>(_ config: AssayConfig, _ body: @Sendable (GradingQueue) async throws -> T) async throws -> T {
    let store = try PostgresStore(settings: try workersStore(config), environment: ProcessInfo.processInfo.environment,
                                  logger: Pipeline.logger())
    return try await store.withRunning { store in try await body(GradingQueue(store: store)) }
}

/// The `postgres:` settings workers need, or the error saying to add them (checked before
/// anything else is read, so a missing section fails first).
func workersStore(_ config: AssayConfig) throws -> PostgresSettings {
    guard let settings = config.postgres else {
        throw AssayError(.config, "grading workers share a PostgreSQL store, and \(config.file ?? "the config") has no 'postgres:' section",
                         hint: "add postgres: {url: postgres://USER@HOST:5432/DATABASE, password_env: VARIABLE} to the config of "
                             + "this machine and of every worker (docs/deploy.md#workers)")
    }
    return settings
}
