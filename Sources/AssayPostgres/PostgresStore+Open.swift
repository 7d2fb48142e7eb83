import Foundation
import Logging

extension PostgresStore {
    /// Opens the store `settings` names (password from the process environment), checks that it
    /// answers, and runs `body` with its pool running: what every command that uses it does.
    public static func withOpened<Result: Sendable>(_ settings: PostgresSettings, logger: Logger,
                                                    _ body: @Sendable (PostgresStore) async throws -> Result) async throws -> Result {
        let store = try PostgresStore(settings: settings, environment: ProcessInfo.processInfo.environment, logger: logger)
        try await store.check()
        return try await store.withRunning(body)
    }
}
