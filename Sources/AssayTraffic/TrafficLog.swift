import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The traffic log as `assay serve` runs it: `record` never blocks and never waits on the disk
/// (an entry goes into a bounded in-memory queue, or is counted as dropped when the queue is
/// full); the service writes the queue in batches every `flushInterval`, trims old requests now
/// and then, and on graceful shutdown (after the server has drained) writes what is left. A batch
/// the store refuses or does not take within `writeTimeout` (PostgreSQL down) goes back to the
/// front of the queue and is written at a later flush, the queue's capacity still the bound.
public final class TrafficLog: Service, Sendable {
    public struct Settings: Sendable {
        /// Entries held in memory at most; past it new entries are dropped and counted.
        public var queueCapacity: Int
        public var flushInterval: Duration
        public var maxAgeDays: Int
        public var maxRows: Int
        /// How often retention runs.
        public var trimInterval: Duration
        /// How long one batch's write may wait (for a connection, mostly) before it is given up and kept for the next flush.
        public var writeTimeout: Duration

        public init(queueCapacity: Int = 100_000, flushInterval: Duration = .milliseconds(250), maxAgeDays: Int = 30,
                    maxRows: Int = 10_000_000, trimInterval: Duration = .seconds(600), writeTimeout: Duration = .seconds(5)) {
            self.queueCapacity = queueCapacity
            self.flushInterval = flushInterval
            self.maxAgeDays = maxAgeDays
            self.maxRows = maxRows
            self.trimInterval = trimInterval
            self.writeTimeout = writeTimeout
        }
    }

    /// The SQLite file or the shared PostgreSQL store.
    public let store: any TrafficStore
    public let settings: Settings
    let logger: Logger
    private let queue = Mutex<(entries: [TrafficEntry], dropped: Int, written: Int)>(([], 0, 0))
    /// Flushes that failed in a row (the first and the recovery are logged, not every one between).
    private let failedFlushes = Mutex(0)

    public init(store: any TrafficStore, settings: Settings = Settings(), logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    public convenience init(database: TrafficDatabase, settings: Settings = Settings(), logger: Logger) {
        self.init(store: database, settings: settings, logger: logger)
    }

    /// Queues `entry`; false (and counted) when the queue is full.
    @discardableResult
    package func record(_ entry: TrafficEntry) -> Bool {
        queue.withLock { queue in
            guard queue.entries.count < settings.queueCapacity else {
                queue.dropped += 1
                return false
            }
            queue.entries.append(entry)
            return true
        }
    }

    /// Entries dropped because the queue was full (or the store failed at the last flush), and entries written, since start.
    package var dropped: Int { queue.withLock { $0.dropped } }
    public var written: Int { queue.withLock { $0.written } }
    package var pending: Int { queue.withLock { $0.entries.count } }

    public func run() async throws {
        var sinceTrim = Duration.zero
        await trim()
        // Sleep until the next flush; graceful shutdown ends the sleep, then the rest is written.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let interval = settings.flushInterval
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
            await flush()
            sinceTrim += settings.flushInterval
            if sinceTrim >= settings.trimInterval {
                sinceTrim = .zero
                await trim()
            }
        }
        await flush(final: true)
    }

    /// Writes everything queued now (one transaction). When the store fails or does not answer
    /// within `writeTimeout`, the batch goes back to the front of the queue for the next flush
    /// (entries past the queue's capacity are dropped, newest first, and counted); with `final`
    /// (the last flush at shutdown) it is dropped and counted instead. True when the batch was written.
    @discardableResult
    package func flush(final: Bool = false) async -> Bool {
        // At most `batchLimit` a transaction, so that a queue grown during an outage is written in
        // pieces each well inside the timeout.
        while true {
            let batch = queue.withLock { queue -> [TrafficEntry] in
                let batch = Array(queue.entries.prefix(Self.batchLimit))
                queue.entries.removeFirst(batch.count)
                return batch
            }
            guard await writeOrKeep(batch, final: final) else { return false }
            if batch.count < Self.batchLimit { return true }
        }
    }

    /// Entries written in one transaction at most.
    static let batchLimit = 10_000

    /// Writes one batch; on failure keeps it (or drops it when `final`), logging the first failure of a run.
    private func writeOrKeep(_ batch: [TrafficEntry], final: Bool) async -> Bool {
        guard !batch.isEmpty else { return true }
        do {
            try await writeWithin(batch)
            queue.withLock { $0.written += batch.count }
            let failed = failedFlushes.withLock { count in defer { count = 0 }; return count }
            if failed > 0 { logger.warning("traffic log written again", metadata: ["assay.traffic.failed_flushes": "\(failed)", "assay.traffic.written": "\(batch.count)"]) }
            return true
        } catch {
            let kept = final ? 0 : keep(batch)
            let dropped = batch.count - kept
            if final { queue.withLock { $0.dropped += batch.count } }
            let first = failedFlushes.withLock { count in count += 1; return count == 1 }
            if dropped > 0 {
                logger.error("traffic log write failed; entries dropped", metadata: ["assay.traffic.dropped": "\(dropped)", "assay.error": "\(error)"])
            } else if first {
                logger.error("traffic log write failed; entries kept for the next flush", metadata: ["assay.traffic.kept": "\(kept)", "assay.error": "\(error)"])
            }
            return false
        }
    }

    /// Puts a batch that was not written back in front of what arrived since, up to the queue's
    /// capacity; returns how many of the batch were kept (the rest, and newer entries past the
    /// capacity, are counted as dropped).
    private func keep(_ batch: [TrafficEntry]) -> Int {
        queue.withLock { queue in
            var entries = batch + queue.entries
            let excess = max(0, entries.count - settings.queueCapacity)
            entries.removeLast(excess)
            queue.dropped += excess
            queue.entries = entries
            return min(batch.count, settings.queueCapacity)
        }
    }

    /// The store's write, given up after `writeTimeout` (the write is cancelled; a PostgreSQL
    /// transaction that did not commit leaves nothing). The write's own outcome decides: a write
    /// that finished despite the timeout counts as written.
    private func writeWithin(_ batch: [TrafficEntry]) async throws {
        let (store, timeout) = (self.store, settings.writeTimeout)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await store.write(batch); return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            while let finished = try await group.next() {
                if finished { group.cancelAll(); return }
                group.cancelAll()
            }
        }
    }

    func trim() async {
        do {
            let deleted = try await store.trim(maxAgeDays: settings.maxAgeDays, maxRows: settings.maxRows, now: Date())
            if deleted > 0 { logger.info("traffic log trimmed", metadata: ["assay.traffic.deleted": "\(deleted)"]) }
        } catch {
            logger.error("traffic log retention failed", metadata: ["assay.error": "\(error)"])
        }
    }
}
