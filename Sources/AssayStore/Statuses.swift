import GRDB

/// A sample's outcome, the `sample.status` column.
public enum SampleStatus: String, Codable, Sendable, CaseIterable, CustomStringConvertible, DatabaseValueConvertible {
    /// Answered and graded.
    case ok
    /// No usable answer: the request failed, or grading did (see the sample's error kind).
    case error

    public var description: String { rawValue }
}

/// Where a run stands, the `run.status` column.
public enum RunStatus: String, Codable, Sendable, CaseIterable, CustomStringConvertible, DatabaseValueConvertible {
    case running
    case finished
    /// Stopped because samples could not be stored.
    case failed
    /// Cancelled (Ctrl-C, SIGTERM) or killed; `run --resume` finishes it.
    case interrupted

    public var description: String { rawValue }
}

/// Where a job stands, the `job.status` column.
package enum JobStatus: String, Codable, Sendable, CaseIterable, CustomStringConvertible, DatabaseValueConvertible {
    case pending, running, done, failed, skipped

    package var description: String { rawValue }
}

/// A held price change, the `price_quarantine.status` column.
package enum QuarantineStatus: String, Codable, Sendable, CaseIterable, CustomStringConvertible, DatabaseValueConvertible {
    /// Not applied; waiting for `assay prices approve`.
    case pending
    case approved
    /// Replaced by a later scrape's quarantine of the same source.
    case superseded

    package var description: String { rawValue }
}
