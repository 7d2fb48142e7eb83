/// Exponential backoff, jittered between half and all of the step, honouring `Retry-After`
/// when the provider sends one.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1), given `jitter` in [0, 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, jitter: Double) -> Double {
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        var ceiling = baseDelay
        for _ in 1..<max(1, attempt) { ceiling *= 2 }
        return min(maxDelay, ceiling) * (0.5 + jitter / 2)
    }
}
