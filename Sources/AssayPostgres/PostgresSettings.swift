import AssayCore

/// The `postgres:` section of `assay.yaml` (docs/config.md#postgres): where the shared store is,
/// and the name of the environment variable that holds its password. The password itself is
/// never in the URL, the config file, an error or a log line.
public struct PostgresSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// The environment variable holding the password; nil connects without one (trust or peer auth).
    public var passwordEnv: String?
    /// `disable` (plain TCP, for loopback and private networks), `prefer` or `require` TLS.
    public var tls: TLSMode
    /// Connections the pool keeps open at most, per process.
    public var maxConnections: Int

    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
    }

    public init(host: String, port: Int = 5432, user: String, database: String, passwordEnv: String? = nil,
                tls: TLSMode = .disable, maxConnections: Int = 8) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.passwordEnv = passwordEnv
        self.tls = tls
        self.maxConnections = maxConnections
    }

    /// Reads `postgres://user@host:port/database`; throws a sentence saying what is wrong with it.
    /// A URL with a password (`user:secret@`) is refused without repeating the password.
    public init(url text: String) throws(URLProblem) {
        let prefixes = ["postgres://", "postgresql://"]
        guard let prefix = prefixes.first(where: { text.hasPrefix($0) }) else {
            throw URLProblem("expected postgres://user@host:port/database, found '\(text.prefix(40))…'")
        }
        let rest = text.dropFirst(prefix.count)
        guard let at = rest.lastIndex(of: "@") else {
            throw URLProblem("name the user: postgres://USER@host:port/database")
        }
        let userPart = rest[..<at]
        if userPart.contains(":") {
            throw URLProblem("the URL carries a password; remove it and name the environment variable that holds it in 'password_env'")
        }
        let afterAt = rest[rest.index(after: at)...]
        guard let slash = afterAt.firstIndex(of: "/") else {
            throw URLProblem("name the database: postgres://\(userPart)@host:port/DATABASE")
        }
        let hostPort = afterAt[..<slash]
        var database = String(afterAt[afterAt.index(after: slash)...])
        if let query = database.firstIndex(of: "?") { database = String(database[..<query]) }
        guard !userPart.isEmpty, userPart.allSatisfy(Self.isNameCharacter) else {
            throw URLProblem("the user '\(userPart.prefix(40))' must be letters, digits, '_', '-' or '.'")
        }
        guard !database.isEmpty, database.allSatisfy(Self.isNameCharacter) else {
            throw URLProblem("the database name must be letters, digits, '_', '-' or '.', found '\(database.prefix(40))'")
        }
        var host = String(hostPort)
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65_535).contains(number) else {
                throw URLProblem("the port must be a number from 1 to 65535, found '\(hostPort[hostPort.index(after: colon)...].prefix(10))'")
            }
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, host.allSatisfy({ Self.isNameCharacter($0) || $0 == ":" }) else {
            throw URLProblem("name the host: postgres://\(userPart)@HOST:port/\(database)")
        }
        self.init(host: host, port: port, user: String(userPart), database: database)
    }

    /// The URL without a password, for messages and `--json` output.
    public var url: String { "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

    /// The password from `passwordEnv`, read now; an unset variable is a config error naming it.
    package func password(environment: [String: String]) throws -> String? {
        guard let passwordEnv else { return nil }
        guard let value = environment[passwordEnv], !value.isEmpty else {
            throw AssayError(.config, "the PostgreSQL password variable \(passwordEnv) is not set (postgres.password_env)",
                             hint: "export \(passwordEnv)=… before starting assay, or remove password_env if the server needs no password")
        }
        return value
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    /// Why a `postgres.url` cannot be used.
    public struct URLProblem: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
