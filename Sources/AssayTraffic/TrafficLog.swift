import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The traffic log as `assay serve` runs it: `record` never blocks and never waits on the disk
/// (an entry goes into a bounded in-memory queue, or is counted as dropped when the queue is
/// full); the service writes the queue in batches every `flushInterval`, trims old requests now
/// and then, and on graceful shutdown (after the server has drained) writes what is left.
public final class TrafficLog: Service, Sendable {
    public struct Settings: Sendable {
        /// Entries held in memory at most; past it new entries are dropped and counted.
        public var queueCapacity: Int
        public var flushInterval: Duration
        public var maxAgeDays: Int
        public var maxRows: Int
        /// How often retention runs.
        public var trimInterval: Duration

        public init(queueCapacity: Int = 100_000, flushInterval: Duration = .milliseconds(250), maxAgeDays: Int = 30,
                    maxRows: Int = 10_000_000, trimInterval: Duration = .seconds(600)) {
            self.queueCapacity = queueCapacity
            self.flushInterval = flushInterval
            self.maxAgeDays = maxAgeDays
            self.maxRows = maxRows
            self.trimInterval = trimInterval
        }
    }

    /// The SQLite file or the shared PostgreSQL store.
    public let store: any TrafficStore
    public let settings: Settings
    let logger: Logger
    private let queue = Mutex<(entries: [TrafficEntry], dropped: Int, written: Int)>(([], 0, 0))

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

    /// Entries dropped because the queue was full, and entries written, since start.
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
        await flush()
    }

    /// Writes everything queued now (one transaction); on a write error the batch is counted as
    /// dropped and logged, and the log goes on.
    package func flush() async {
        let batch = queue.withLock { queue -> [TrafficEntry] in
            let batch = queue.entries
            queue.entries.removeAll(keepingCapacity: true)
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.write(batch)
            queue.withLock { $0.written += batch.count }
        } catch {
            queue.withLock { $0.dropped += batch.count }
            logger.error("traffic log write failed; entries dropped", metadata: ["assay.traffic.dropped": "\(batch.count)", "assay.error": "\(error)"])
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
