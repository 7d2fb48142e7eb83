/// A job a worker holds: its id, the token of this claim, what to do, and how many claims it has
/// had (this one included).
package struct ClaimedJob: Sendable, Hashable {
    package var id: Int64
    package var token: Int64
    package var payload: String
    package var attempts: Int
}

/// A job of a run that reached an end: `done` with the worker's result, or `failed` when its
/// workers were lost `GradingQueue.maxAttempts` times (no result).
package struct FinishedJob: Sendable, Hashable {
    package var id: Int64
    package var result: String?
    package var attempts: Int
    package var worker: String?
}

/// How many of a run's jobs are in each state, and how many workers hold its claims.
package struct QueueCounts: Sendable, Hashable {
    package var pending = 0
    package var claimed = 0
    package var finished = 0
    package var workers = 0
}
