import AssayCore

/// One replica's view of every key's usage between two syncs with the shared store: the global
/// totals as of the last sync, plus what this replica admitted and charged since (not yet
/// added to the store). A value type with no I/O; `SharedLimits` syncs it.
///
/// Tolerance: each replica admits while global + its own unsynced count is under the limit, so
/// between two syncs N replicas can each admit what is left: a burst overshoots a key's rpm by
/// at most (N - 1) × what one replica admits in one sync interval, and never by more than
/// (N - 1) × rpm (docs/deploy.md). Spend works the same way, per UTC day.
struct SharedCounts: Sendable {
    struct MinuteKey: Hashable, Sendable { var name: String, minute: Int }
    struct DayKey: Hashable, Sendable { var name: String, day: Int }

    /// The keys by SHA-256, as of the last sync; empty until the first.
    var keys: [String: ClientKeyFile.Entry] = [:]
    var minute = 0
    var day = 0
    var globalRequests: [String: Int] = [:]
    var globalSpend: [String: Money] = [:]
    var pendingRequests: [MinuteKey: Int] = [:]
    var pendingSpend: [DayKey: Money] = [:]
    /// Counts handed to a sync that has not answered yet: still this replica's until the totals it reads back include them.
    var syncingRequests: [MinuteKey: Int] = [:]
    var syncingSpend: [DayKey: Money] = [:]

    /// Takes one request of key `name` for UTC minute `minute`; nil when admitted, else seconds to wait.
    mutating func admit(_ name: String, rpm: Int, minute: Int, secondsIntoMinute: Int) -> Int? {
        if minute != self.minute {
            self.minute = minute
            globalRequests = [:]
        }
        let key = MinuteKey(name: name, minute: minute)
        let used = (globalRequests[name] ?? 0) + (pendingRequests[key] ?? 0) + (syncingRequests[key] ?? 0)
        guard used < rpm else { return max(1, 60 - secondsIntoMinute) }
        pendingRequests[key, default: 0] += 1
        return nil
    }

    mutating func charge(_ name: String, _ cost: Money, day: Int) {
        if day != self.day {
            self.day = day
            globalSpend = [:]
        }
        pendingSpend[DayKey(name: name, day: day), default: .zero] += cost
    }

    func spent(_ name: String, day: Int) -> Money {
        let key = DayKey(name: name, day: day)
        return (day == self.day ? globalSpend[name] ?? .zero : .zero) + (pendingSpend[key] ?? .zero) + (syncingSpend[key] ?? .zero)
    }

    /// Hands over the unsynced counts for a sync; they keep counting here until it answers.
    mutating func takePending() -> (requests: [MinuteKey: Int], spend: [DayKey: Money]) {
        defer { (pendingRequests, pendingSpend) = ([:], [:]) }
        (syncingRequests, syncingSpend) = (pendingRequests, pendingSpend)
        return (pendingRequests, pendingSpend)
    }

    /// Puts counts back after a failed sync, so they are added by the next one.
    mutating func restore(_ requests: [MinuteKey: Int], _ spend: [DayKey: Money]) {
        (syncingRequests, syncingSpend) = ([:], [:])
        for (key, count) in requests { pendingRequests[key, default: 0] += count }
        for (key, cost) in spend { pendingSpend[key, default: .zero] += cost }
    }

    /// Takes what the store says after a sync: the keys, and the totals of `minute` and `day`
    /// (which include every replica's counts added so far, this one's too).
    mutating func apply(keys: [ClientKeyFile.Entry], minute: Int, requests: [String: Int], day: Int, spend: [String: Money]) {
        self.keys = Dictionary(keys.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        (syncingRequests, syncingSpend) = ([:], [:])
        if minute >= self.minute {
            self.minute = minute
            globalRequests = requests
        }
        if day >= self.day {
            self.day = day
            globalSpend = spend
        }
    }
}
