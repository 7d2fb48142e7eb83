import AssayCore
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// One connection pool to the shared PostgreSQL store, as a service: run it in the process's
/// `ServiceGroup` (queries wait until it runs), or call `withRunning` for a one-off command.
/// Errors leave as `AssayError(.database)` with the server's message and the URL, never the password.
public final class PostgresStore: Service, Sendable {
    public let settings: PostgresSettings
    package let client: PostgresClient
    package let logger: Logger
    /// Kept for `check`'s own connection; never printed.
    private let password: String?

    public init(settings: PostgresSettings, environment: [String: String], logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        password = try settings.password(environment: environment)
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: password, database: settings.database,
            tls: Self.tls(settings.tls))
        configuration.options.maximumConnections = settings.maxConnections
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.keepAliveBehavior = nil
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    static func tls(_ mode: PostgresSettings.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    /// Opens one connection of its own and runs `SELECT 1`, so a wrong address, user or
    /// password fails at start with a clear message (the pool would keep retrying while
    /// queries wait). Call it before serving.
    public func check() async throws {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch settings.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var configuration = PostgresConnection.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                                                 password: password, database: settings.database, tls: tls)
            configuration.options.connectTimeout = .seconds(5)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                _ = try await connection.query("SELECT 1", logger: logger)
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw describe(error, doing: "connecting")
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.client.run() }
    }

    /// Runs the pool for the time `body` takes: for commands (`assay report`, `keys`) that are not services.
    public func withRunning<Result: Sendable>(_ body: @Sendable (PostgresStore) async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            defer { group.cancelAll() }
            return try await body(self)
        }
    }

    /// Runs `query` and collects its rows, mapping a failure to `AssayError(.database)` that says what was being done.
    @discardableResult
    package func query(_ query: PostgresQuery, doing: String) async throws -> [PostgresRow] {
        do {
            var rows: [PostgresRow] = []
            for try await row in try await client.query(query, logger: logger) { rows.append(row) }
            return rows
        } catch {
            throw describe(error, doing: doing)
        }
    }

    /// Runs `body` in one transaction (rolled back when it throws).
    package func transaction<Result: Sendable>(doing: String, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as AssayError {
            throw error
        } catch {
            throw describe(error, doing: doing)
        }
    }

    /// An error a user can act on: the server's own message when there is one, the URL, no password.
    package func describe(_ error: any Error, doing: String) -> AssayError {
        if let error = error as? AssayError { return error }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return AssayError(.database, "PostgreSQL at \(settings.url) refused \(doing): \(message)",
                                  hint: "check the schema and the role's rights (docs/deploy.md)")
            }
            return AssayError(.database, "cannot reach PostgreSQL at \(settings.url) while \(doing) (\(error.code.description))",
                              hint: "check that the server runs and accepts this user (postgres.url, postgres.password_env)")
        }
        return AssayError(.database, "PostgreSQL at \(settings.url) failed while \(doing): \(type(of: error))",
                          hint: "check that the server runs and accepts this user (postgres.url, postgres.password_env)")
    }
}
