import AssayCore
import AssayHarness
import AssayPostgres
import Foundation

/// The job queue in the `postgres:` store of `config`, open for the time `body` takes
/// (`assay worker`, `assay run --workers`, `assay nightly --workers`).
func withGradingQueue<T: Sendable>(_ config: AssayConfig, _ body: @Sendable (GradingQueue) async throws -> T) async throws -> T {
    guard let settings = config.postgres else {
        throw AssayError(.config, "grading workers share a PostgreSQL store, and \(config.file ?? "the config") has no 'postgres:' section",
                         hint: "add postgres: {url: postgres://USER@HOST:5432/DATABASE, password_env: VARIABLE} to the config of "
                             + "this machine and of every worker (docs/deploy.md#workers)")
    }
    let store = try PostgresStore(settings: settings, environment: ProcessInfo.processInfo.environment, logger: Pipeline.logger())
    return try await store.withRunning { store in try await body(GradingQueue(store: store)) }
}
