import AssayCore
import Foundation

/// How `assay worker` runs (docs/commands.md#assay-worker).
package struct WorkerOptions: Sendable {
    /// The name its claims and samples carry (default: host name and process id).
    package var name: String
    /// Jobs it runs at once.
    package var concurrency: Int
    /// How long a claim holds without renewal: a worker killed mid-job loses its jobs to another
    /// worker this long after its last renewal (it renews every third of it).
    package var leaseSeconds: Double
    /// Stop after finishing this many jobs (nil: run until stopped).
    package var maxJobs: Int?
    /// Stop once nothing was claimable for this long (nil: wait for work forever).
    package var idleExitSeconds: Double?
    /// How often an idle worker asks the queue for work.
    package var pollSeconds: Double

    package init(name: String? = nil, concurrency: Int = 4, leaseSeconds: Double = 60, maxJobs: Int? = nil,
                 idleExitSeconds: Double? = nil, pollSeconds: Double = 0.25) {
        self.name = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        self.concurrency = concurrency
        self.leaseSeconds = leaseSeconds
        self.maxJobs = maxJobs
        self.idleExitSeconds = idleExitSeconds
        self.pollSeconds = pollSeconds
    }
}

/// What a worker did, printed when it stops (`--json` for scripts).
package struct WorkerSummary: Sendable, Codable, Hashable {
    package var worker: String
    /// Jobs whose result this worker stored.
    package var jobs = 0
    /// Of those, error samples (provider or grader failures, unreadable jobs).
    package var errors = 0
    /// Results dropped because the claim was no longer this worker's (its lease ran out and
    /// another worker took the job): the job is stored once, by the other.
    package var lostClaims = 0
    /// Claims handed back unfinished at shutdown.
    package var released = 0
    /// What its answers and judge calls cost, in nano-USD.
    package var spentNusd: Int64 = 0
    package var elapsedSeconds = 0.0
    /// Why it stopped: `max-jobs`, `idle` or `signal`.
    package var stopped = "signal"

    enum CodingKeys: String, CodingKey {
        case worker, jobs, errors, lostClaims = "lost_claims", released, spentNusd = "spent_nusd"
        case elapsedSeconds = "elapsed_seconds", stopped
    }

    package var line: String {
        "worker \(worker) stopped (\(stopped)): \(jobs) jobs stored, \(errors) errors, \(lostClaims) lost claims, "
            + "\(released) released, spent \(Money(nanoUSD: spentNusd)), \(String(format: "%.1f", elapsedSeconds))s"
    }
}
