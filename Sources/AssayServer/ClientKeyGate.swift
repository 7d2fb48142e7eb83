import AssayProviders
import Foundation
import Logging
import Synchronization

/// Who may call `assay serve`, and how often: the keys file's hashes and a token bucket per key.
/// A request's key (`Authorization: Bearer …` or `x-api-key`) is hashed and looked up; the key
/// itself is never stored or logged. The file is re-read when it changes (a bad file is logged and
/// the previous keys stay in force), so `assay keys add|revoke` takes effect without a restart.
public final class ClientKeyGate: Sendable {
    public let path: String
    /// Requests per minute for keys that set none; 0 is unlimited.
    public let defaultRPM: Int
    private let state: Mutex<State>

    struct State {
        var byHash: [String: ClientKeyFile.Entry] = [:]
        var buckets: [String: TokenBucket] = [:]
        var modified: Date?
    }

    public enum Verdict: Equatable, Sendable {
        case allowed(name: String)
        case missingKey
        case unknownKey
        /// Over the key's rate limit: retry after this many seconds.
        case limited(name: String, retryAfter: Int)
    }

    public init(path: String, defaultRPM: Int) throws(ClientKeyFileError) {
        self.path = path
        self.defaultRPM = defaultRPM
        let file = try ClientKeyFile.load(path)
        state = Mutex(State(byHash: Self.index(file), modified: modificationDate(of: path)))
    }

    public var count: Int { state.withLock { $0.byHash.count } }

    /// Checks one request's key and, when it is known, takes one request from its bucket.
    public func check(key: String?, now: Double = ProcessInfo.processInfo.systemUptime) -> Verdict {
        guard let key, !key.isEmpty else { return .missingKey }
        let hash = ClientKeyFile.hash(key)
        return state.withLock { state in
            guard let entry = state.byHash[hash] else { return .unknownKey }
            let rpm = entry.rpm ?? defaultRPM
            guard rpm > 0 else { return .allowed(name: entry.name) }
            var bucket = state.buckets[entry.name] ?? TokenBucket(perMinute: rpm, now: now)
            if bucket.capacity != Double(rpm) { bucket = TokenBucket(perMinute: rpm, now: now) }
            let wait = bucket.wait(for: 1, now: now)
            guard wait == 0 else {
                state.buckets[entry.name] = bucket
                return .limited(name: entry.name, retryAfter: max(1, Int(wait.rounded(.up))))
            }
            bucket.take(1, now: now)
            state.buckets[entry.name] = bucket
            return .allowed(name: entry.name)
        }
    }

    /// Re-reads the file when its modification time changed; true when new keys were taken.
    @discardableResult
    public func reloadIfChanged(logger: Logger) -> Bool {
        let modified = modificationDate(of: path)
        guard modified != state.withLock({ $0.modified }) else { return false }
        do {
            let index = Self.index(try ClientKeyFile.load(path))
            state.withLock { state in
                state.byHash = index
                state.modified = modified
                let names = Set(index.values.map(\.name))
                state.buckets = state.buckets.filter { names.contains($0.key) }
            }
            logger.info("client keys reloaded", metadata: ["assay.keys": "\(index.count)"])
            return true
        } catch {
            state.withLock { $0.modified = modified }
            logger.error("client keys file rejected; the previous keys stay in force", metadata: ["assay.error": "\(error)"])
            return false
        }
    }

    static func index(_ file: ClientKeyFile) -> [String: ClientKeyFile.Entry] {
        Dictionary(file.keys.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
