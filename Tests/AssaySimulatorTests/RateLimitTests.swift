import AssayCore
@testable import AssayProviders
import AssaySimulator
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// Per-provider limits: the bucket and window arithmetic, and the limiter against the live
/// simulator (a concurrency cap that holds, a 429 storm that shrinks the window).
@Suite("Rate limits")
struct RateLimitTests {
    @Test("a token bucket refills at its per-minute rate and makes a large request wait for a full bucket")
    func bucket() {
        var bucket = TokenBucket(perMinute: 60, now: 0)
        #expect(bucket.wait(for: 60, now: 0) == 0)
        bucket.take(60, now: 0)
        #expect(bucket.wait(for: 1, now: 0) == 1, "one token a second")
        #expect(abs(bucket.wait(for: 30, now: 10) - 20) < 1e-9, "10 s refilled 10 tokens; 20 more to go")
        #expect(abs(bucket.wait(for: 600, now: 10) - 50) < 1e-9, "an oversized request waits for a full bucket, not forever")
        bucket.adjust(by: 100, now: 10)
        #expect(bucket.tokens == 60, "an over-estimate is refunded, never above capacity")
    }

    @Test("the concurrency window halves on a 429 and creeps back up by about one per window of successes")
    func window() {
        var window = ConcurrencyWindow(ceiling: 16)
        window.rateLimited(inFlight: 16)
        #expect(window.limit == 8)
        window.rateLimited(inFlight: 3)
        #expect(window.limit == 1, "halves what was actually in flight")
        window.rateLimited(inFlight: 1)
        #expect(window.limit == 1, "never below one")
        for _ in 0..<10 { window.succeeded() }
        #expect(window.limit >= 3 && window.limit <= 5)
        for _ in 0..<1_000 { window.succeeded() }
        #expect(window.limit == 16, "never above the configured ceiling")
    }

    @Test("a concurrency cap of 4 holds with 12 concurrent callers, and a 429 storm shrinks the window without losing a request")
    func live() async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 40, faults: [FaultRule(kind: .rateLimit(retryAfter: 0.2), first: 6)]) { port in
            try await Fixtures.withClient { client in
                let settings = ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", timeoutSeconds: 60,
                                                retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.01),
                                                limits: RateLimits(concurrency: 4))
                let transport = ProviderTransport(settings: settings, client: client, logger: Fixtures.quietLogger)
                let provider = OpenAICompatibleProvider(transport: transport, environment: [:])
                let answers = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<12 {
                        group.addTask {
                            try await provider.complete(ChatRequest(model: "finch-mini", messages: [.init(role: .user, content: "q\(index)")])).attempts
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(answers.count == 12, "none lost")
                let limiter = transport.limiter
                #expect(await limiter.peakInFlight <= 4, "the cap holds")
                #expect(await limiter.rateLimitedCount == 6)
                #expect(await limiter.lowestLimit < 4, "the window shrank after the 429s")
            }
        }
    }
}
