/// What one provider allows: requests per minute, tokens per minute and requests in flight.
/// nil means no limit of that kind. The concurrency cap adapts down on HTTP 429 and creeps back
/// up as requests succeed (`ProviderLimiter`).
public struct RateLimits: Sendable, Hashable {
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    public var concurrency: Int?

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, concurrency: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.concurrency = concurrency
    }
}

/// A token bucket: `capacity` tokens, refilled at `capacity` per minute. Pure (times are
/// passed in), so its arithmetic is tested without waiting.
package struct TokenBucket: Sendable, Hashable {
    package let capacity: Double
    package private(set) var tokens: Double
    private var updatedAt: Double

    package init(perMinute: Int, now: Double) {
        capacity = Double(max(1, perMinute))
        tokens = capacity
        updatedAt = now
    }

    mutating func refill(now: Double) {
        tokens = min(capacity, tokens + max(0, now - updatedAt) * capacity / 60)
        updatedAt = max(updatedAt, now)
    }

    /// Seconds until `amount` tokens are available (0 when they are now). An amount larger than
    /// the bucket waits for a full bucket, so one huge request is slowed, not refused.
    package mutating func wait(for amount: Double, now: Double) -> Double {
        refill(now: now)
        let needed = min(amount, capacity)
        return tokens >= needed ? 0 : (needed - tokens) * 60 / capacity
    }

    /// Takes `amount` tokens (the balance may go negative: later callers wait longer).
    package mutating func take(_ amount: Double, now: Double) {
        refill(now: now)
        tokens -= amount
    }

    /// Gives back what an estimate over-charged (or takes what it under-charged).
    package mutating func adjust(by amount: Double, now: Double) {
        refill(now: now)
        tokens = min(capacity, tokens + amount)
    }
}

/// Additive-increase, multiplicative-decrease concurrency: a 429 halves the window, each
/// success adds 1/window (about one more slot per window's worth of successes), never above
/// the configured ceiling.
package struct ConcurrencyWindow: Sendable, Hashable {
    package let ceiling: Int
    package private(set) var window: Double

    package init(ceiling: Int) {
        self.ceiling = max(1, ceiling)
        window = Double(self.ceiling)
    }

    package var limit: Int { max(1, Int(window)) }

    package mutating func rateLimited(inFlight: Int) {
        window = max(1, min(window, Double(max(1, inFlight))) / 2)
    }

    package mutating func succeeded() {
        window = min(Double(ceiling), window + 1 / window)
    }
}
