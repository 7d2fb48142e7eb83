import AssayCore
import AssayProviders
import Foundation
import Logging
import Synchronization

/// Who may call `assay serve`, and how often: the keys file's hashes and a token bucket per key.
/// A request's key (`Authorization: Bearer …` or `x-api-key`) is hashed and looked up; the key
/// itself is never stored or logged. The file is re-read when it changes (a bad file is logged and
/// the previous keys stay in force), so `assay keys add|revoke` takes effect without a restart.
///
/// With `postgres:` the keys and the counts are shared by every replica instead (`SharedLimits`):
/// requests per UTC minute and spend per UTC day, synchronised in batches.
public final class ClientKeyGate: Sendable {
    /// The keys file, or the shared store's URL.
    public var path: String { file?.path ?? shared?.store.settings.url ?? "" }
    /// Requests per minute for keys that set none; 0 is unlimited.
    public let defaultRPM: Int
    /// The keys file's entries by hash (nil with a shared store).
    private let file: WatchedFile<[String: ClientKeyFile.Entry], ClientKeyFileError>?
    /// The keys and counters every replica shares (nil with a keys file).
    private let shared: SharedLimits?
    /// Each key's token bucket, by key name.
    private let buckets = Mutex<[String: TokenBucket]>([:])
    /// What each key spent on its current UTC day, by key name (in memory: a restart forgets
    /// today's spend; the traffic log will keep it).
    private let spend = Mutex<[String: (day: Int, spent: Money)]>([:])

    public enum Verdict: Equatable, Sendable {
        case allowed(name: String)
        case missingKey
        case unknownKey
        /// Over the key's rate limit: retry after this many seconds.
        case limited(name: String, retryAfter: Int)
    }

    public init(path: String, defaultRPM: Int) throws(ClientKeyFileError) {
        self.defaultRPM = defaultRPM
        file = try WatchedFile(path: path) { path throws(ClientKeyFileError) in Self.index(try ClientKeyFile.load(path)) }
        shared = nil
    }

    /// Keys and limits from the shared store, kept in step by `shared` (a service the server runs).
    public init(shared: SharedLimits, defaultRPM: Int) {
        self.defaultRPM = defaultRPM
        self.shared = shared
        file = nil
    }

    public var count: Int { shared?.keyCount ?? file?.value.count ?? 0 }

    private func entry(hash: String) -> ClientKeyFile.Entry? { shared?.entry(sha256: hash) ?? file?.value[hash] }

    /// Checks one request's key and, when it is known, takes one request from its bucket.
    public func check(key: String?, now: Double = ProcessInfo.processInfo.systemUptime) -> Verdict {
        guard let key, !key.isEmpty else { return .missingKey }
        guard let entry = entry(hash: ClientKeyFile.hash(key)) else { return .unknownKey }
        let rpm = entry.rpm ?? defaultRPM
        guard rpm > 0 else { return .allowed(name: entry.name) }
        if let shared {
            guard let wait = shared.admit(entry.name, rpm: rpm) else { return .allowed(name: entry.name) }
            return .limited(name: entry.name, retryAfter: wait)
        }
        return buckets.withLock { buckets in
            var bucket = buckets[entry.name] ?? TokenBucket(perMinute: rpm, now: now)
            if bucket.capacity != Double(rpm) { bucket = TokenBucket(perMinute: rpm, now: now) }
            let wait = bucket.wait(for: 1, now: now)
            guard wait == 0 else {
                buckets[entry.name] = bucket
                return .limited(name: entry.name, retryAfter: max(1, Int(wait.rounded(.up))))
            }
            bucket.take(1, now: now)
            buckets[entry.name] = bucket
            return .allowed(name: entry.name)
        }
    }

    /// The entry of the key named `name`, if it is (still) in the file.
    public func entry(named name: String) -> ClientKeyFile.Entry? {
        if let shared { return shared.entry(named: name) }
        return file?.value.values.first { $0.name == name }
    }

    /// Adds `cost` to what key `name` spent today (UTC).
    package func charge(_ name: String, _ cost: Money, now: Date = Date()) {
        if let shared { return shared.charge(name, cost) }
        let day = Self.utcDay(now)
        spend.withLock { table in
            let today = table[name].flatMap { $0.day == day ? $0.spent : nil } ?? .zero
            table[name] = (day, today + cost)
        }
    }

    /// When key `name` has a daily budget and today's spend reached it: the budget, the spend,
    /// and the seconds until the next UTC midnight; nil while it may spend.
    package func exhaustedBudget(_ name: String, now: Date = Date()) -> (budget: Money, spent: Money, retryAfter: Int)? {
        guard let budget = entry(named: name)?.dailyBudget else { return nil }
        let day = Self.utcDay(now)
        let spent = shared?.spent(name) ?? spend.withLock { $0[name].flatMap { $0.day == day ? $0.spent : nil } } ?? .zero
        guard spent >= budget else { return nil }
        let nextMidnight = Double(day + 1) * 86_400
        return (budget, spent, max(1, Int((nextMidnight - now.timeIntervalSince1970).rounded(.up))))
    }

    static func utcDay(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// Re-reads the file when its modification time changed; true when new keys were taken.
    @discardableResult
    package func reloadIfChanged(logger: Logger) -> Bool {
        guard let file else { return false }
        switch file.reloadIfChanged() {
        case .unchanged:
            return false
        case .accepted(let index):
            let names = Set(index.values.map(\.name))
            buckets.withLock { $0 = $0.filter { names.contains($0.key) } }
            logger.info("client keys reloaded", metadata: ["assay.keys": "\(index.count)"])
            return true
        case .rejected(let error):
            logger.error("client keys file rejected; the previous keys stay in force", metadata: ["assay.error": "\(error)"])
            return false
        }
    }

    static func index(_ file: ClientKeyFile) -> [String: ClientKeyFile.Entry] {
        Dictionary(file.keys.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
