import AssayCore
import Foundation

/// The client keys `assay serve` accepts, as stored in the keys file (`serve.keys_file`): for
/// each key its name, the SHA-256 of the key (never the key itself) and its own rate limit.
/// Written by `assay keys add|revoke`, re-read by the server when it changes
/// (docs/server.md).
public struct ClientKeyFile: Codable, Sendable, Equatable {
    public var keys: [Entry]

    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        /// Lowercase hex SHA-256 of the key's UTF-8 bytes.
        public var sha256: String
        /// Requests per minute for this key; nil takes the server's default (`serve.rpm`), 0 is unlimited.
        public var rpm: Int?
        public var createdAt: String
        /// The most this key may spend in one UTC day, dollars as decimal text (`"5"`, `"0.25"`); nil is unlimited.
        public var dailyBudgetUsd: String?
        /// The most `max_tokens` one request of this key may ask; nil takes the server's `serve.max_tokens`.
        public var maxTokens: Int?

        public init(name: String, sha256: String, rpm: Int? = nil, createdAt: String, dailyBudgetUsd: String? = nil, maxTokens: Int? = nil) {
            self.name = name
            self.sha256 = sha256
            self.rpm = rpm
            self.createdAt = createdAt
            self.dailyBudgetUsd = dailyBudgetUsd
            self.maxTokens = maxTokens
        }

        /// `dailyBudgetUsd` as money (validated when the file is loaded).
        package var dailyBudget: Money? { dailyBudgetUsd.flatMap { Money(dollars: $0) } }
    }

    public init(keys: [Entry] = []) { self.keys = keys }

    /// Keys are `sk-assay-` and 43 characters of base64url (32 random bytes).
    public static let prefix = "sk-assay-"

    package static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ key: String) -> String { sha256Hex(key) }

    /// Reads `path`; a file that does not exist is an empty list.
    public static func load(_ path: String) throws(ClientKeyFileError) -> ClientKeyFile {
        guard FileManager.default.fileExists(atPath: path) else { return ClientKeyFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw ClientKeyFileError("\(path): cannot be read") }
        let file: ClientKeyFile
        do { file = try decoder.decode(ClientKeyFile.self, from: data) } catch let error as DecodingError {
            throw ClientKeyFileError("\(path): \(Self.describe(error)); the file is written by 'assay keys add' (docs/server.md)")
        } catch {
            throw ClientKeyFileError("\(path): \(error)")
        }
        var seen = Set<String>()
        for (index, entry) in file.keys.enumerated() {
            let field = "keys[\(index)]"
            guard entry.sha256.count == 64, entry.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ClientKeyFileError("\(path): \(field).sha256 must be 64 lowercase hex digits (the SHA-256 of the key, never the key)")
            }
            guard !entry.name.isEmpty, seen.insert(entry.name).inserted else {
                throw ClientKeyFileError("\(path): \(field).name '\(entry.name)' is empty or used twice")
            }
            if let rpm = entry.rpm, rpm < 0 { throw ClientKeyFileError("\(path): \(field).rpm must be 0 (unlimited) or more") }
            if let budget = entry.dailyBudgetUsd, Money(dollars: budget).map({ $0 >= .zero }) != true {
                throw ClientKeyFileError("\(path): \(field).daily_budget_usd must be dollars as decimal text, such as \"5\" or \"0.25\"; found '\(budget)'")
            }
            if let maxTokens = entry.maxTokens, maxTokens < 1 { throw ClientKeyFileError("\(path): \(field).max_tokens must be 1 or more") }
        }
        return file
    }

    /// Writes the file atomically (a temporary file renamed over it), created readable by its
    /// owner only, so there is no moment when it is readable by others.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        let temporary = path + ".tmp-\(getpid())"
        // O_EXCL|O_NOFOLLOW: a file or symlink planted at the temporary name (to redirect the
        // write, or to read the hashes) makes this fail instead of being followed. A stale one
        // left by a crashed writer of this same pid is removed first, never written through.
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ClientKeyFileError("\(temporary): cannot be created (\(String(cString: strerror(errno))))") }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ClientKeyFileError("\(path): cannot be written (\(String(cString: strerror(errno))))")
        }
    }

    /// Reads, changes and writes the file under an exclusive lock (`<path>.lock`), so two
    /// `assay keys` commands at once cannot lose each other's change.
    package static func update(_ path: String, _ change: (inout ClientKeyFile) throws -> Void) throws {
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw ClientKeyFileError("\(path).lock: cannot be opened (\(String(cString: strerror(errno))))") }
        defer { close(lock) }
        var locked: Int32
        repeat { locked = flock(lock, LOCK_EX) } while locked != 0 && errno == EINTR
        guard locked == 0 else { throw ClientKeyFileError("\(path).lock: cannot be locked (\(String(cString: strerror(errno))))") }
        var file = try load(path)
        try change(&file)
        try file.write(to: path)
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing".trimmingCharacters(in: ["."])
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "not valid JSON (\(path(context))): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

public struct ClientKeyFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
