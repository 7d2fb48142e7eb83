import AssayCore
import GRDB

/// Reads and writes that fail as `AssayError(.database)`: callers of the store never see GRDB's types.
extension AssayDatabase {
    func reading<T>(_ value: (Database) throws -> T) throws -> T {
        do { return try writer.read(value) } catch { throw Self.mapped(error) }
    }

    func reading<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.read(value) } catch { throw Self.mapped(error) }
    }

    func writing<T>(_ updates: (Database) throws -> T) throws -> T {
        do { return try writer.write(updates) } catch { throw Self.mapped(error) }
    }

    func writing<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.write(updates) } catch { throw Self.mapped(error) }
    }

    /// What a failed statement says, in front of which a user reads `database:`.
    static let messagePrefix = "database: "

    /// A GRDB error as an `AssayError(.database)` with SQLite's message (`disk I/O error`,
    /// `attempt to write a readonly database`), without the statement; anything else unchanged.
    static func mapped(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        return AssayError(.database, messagePrefix + (error.message ?? "\(error)"))
    }

    /// A storage error in a line a person reads: SQLite's message, without the statement.
    package static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode.rawValue)" }
        if let error = error as? AssayError, error.code == .database, error.message.hasPrefix(messagePrefix) {
            return String(error.message.dropFirst(messagePrefix.count))
        }
        return "\(error)"
    }
}
