import Foundation

/// Holds one provider's requests to its rate limits: a concurrency window that adapts to 429s,
/// request and token buckets per minute, and a provider-wide pause while a `Retry-After` runs.
/// Every attempt (retries included) passes through `acquire` and ends with `release`.
public actor ProviderLimiter {
    /// Without a configured cap, the window starts here and only shrinks after a 429.
    static let defaultCeiling = 1_024
    static let pollInterval = 0.005

    private var window: ConcurrencyWindow
    private var requests: TokenBucket?
    private var tokens: TokenBucket?
    private var pausedUntil = 0.0
    private var inFlight = 0
    private let origin = ContinuousClock.now

    /// The most requests ever in flight at once, and the 429s seen (for tests and summaries).
    package private(set) var peakInFlight = 0
    package private(set) var rateLimitedCount = 0
    /// The smallest the concurrency window has been.
    package private(set) var lowestLimit: Int

    public init(_ limits: RateLimits) {
        window = ConcurrencyWindow(ceiling: limits.concurrency ?? Self.defaultCeiling)
        lowestLimit = window.limit
        requests = limits.requestsPerMinute.map { TokenBucket(perMinute: $0, now: 0) }
        tokens = limits.tokensPerMinute.map { TokenBucket(perMinute: $0, now: 0) }
    }

    package var currentLimit: Int { window.limit }

    private var now: Double {
        let elapsed = origin.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Waits until a request estimated at `estimatedTokens` may be sent, then counts it in flight.
    /// Throws `CancellationError` if the task is cancelled while waiting.
    package func acquire(estimatedTokens: Int) async throws {
        while true {
            let time = now
            var wait = max(0, pausedUntil - time)
            if inFlight >= window.limit { wait = max(wait, Self.pollInterval) }
            if var bucket = requests {
                wait = max(wait, bucket.wait(for: 1, now: time))
                requests = bucket
            }
            if var bucket = tokens {
                wait = max(wait, bucket.wait(for: Double(estimatedTokens), now: time))
                tokens = bucket
            }
            if wait == 0 { break }
            try await Task.sleep(for: .seconds(wait))
        }
        let time = now
        requests?.take(1, now: time)
        tokens?.take(Double(estimatedTokens), now: time)
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
    }

    /// How an attempt ended.
    package enum Outcome: Sendable {
        /// Answered; `usedTokens` corrects the token bucket's estimate.
        case succeeded(usedTokens: Int?)
        /// HTTP 429: shrink the window, and pause everyone for the provider's `Retry-After`.
        case rateLimited(retryAfter: Double?)
        /// Any other failure: the estimate stands, the window is left alone.
        case failed
    }

    /// Ends an attempt that `acquire` admitted.
    package func release(estimatedTokens: Int, _ outcome: Outcome) {
        inFlight -= 1
        let time = now
        switch outcome {
        case .succeeded(let usedTokens):
            if let usedTokens { tokens?.adjust(by: Double(estimatedTokens - usedTokens), now: time) }
            window.succeeded()
        case .rateLimited(let retryAfter):
            rateLimitedCount += 1
            window.rateLimited(inFlight: inFlight + 1)
            lowestLimit = min(lowestLimit, window.limit)
            if let retryAfter { pausedUntil = max(pausedUntil, time + retryAfter) }
        case .failed:
            break
        }
    }
}
