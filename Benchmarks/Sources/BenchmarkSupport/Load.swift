import AsyncHTTPClient
import Foundation
import NIOCore

/// Open- and closed-loop load against one URL, latencies in milliseconds.
public enum Load {
    public struct Result: Sendable {
        public var latencies: [Double]
        public var failures: Int
        public var seconds: Double

        public init(latencies: [Double], failures: Int, seconds: Double) {
            self.latencies = latencies
            self.failures = failures
            self.seconds = seconds
        }

        public static let empty = Result(latencies: [], failures: 0, seconds: 0)

        /// Another slice of the same load added to this one.
        public mutating func absorb(_ other: Result) {
            latencies += other.latencies
            failures += other.failures
            seconds += other.seconds
        }

        public var p50: Double { percentile(0.50) }
        public var p99: Double { percentile(0.99) }
        public var throughput: Double { Double(latencies.count) / seconds }

        public func percentile(_ q: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
        }

        public var summary: String {
            String(format: "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, %.0f req/s, %d failed", p50, p99, percentile(0.999), throughput, failures)
        }
    }

    /// One POST with `headers` (besides the JSON content type); the answer's status, or nil when no answer came.
    public static func post(_ client: HTTPClient, url: String, body: ByteBuffer, headers: [(String, String)] = []) async -> UInt? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status.code
        } catch {
            return nil
        }
    }

    /// One POST; its latency in ms from `since`, or nil when it failed (no answer, or not 200).
    public static func send(_ client: HTTPClient, url: String, body: ByteBuffer, headers: [(String, String)] = [],
                            since: ContinuousClock.Instant) async -> Double? {
        guard await post(client, url: url, body: body, headers: headers) == 200 else { return nil }
        return milliseconds(since.duration(to: .now))
    }

    /// `count` requests started at `rate` per second whatever the answers do; each latency
    /// counts from the request's scheduled start.
    public static func open(_ client: HTTPClient, url: String, body: ByteBuffer, rate: Int, count: Int) async throws -> Result {
        try await open(client, urls: [url], body: body, rate: rate, count: count)
    }

    /// The same open loop over several URLs in turn (request i to `urls[i % urls.count]`): `rate`
    /// is the total over all of them.
    public static func open(_ client: HTTPClient, urls: [String], body: ByteBuffer, headers: [(String, String)] = [],
                            rate: Int, count: Int) async throws -> Result {
        let start = ContinuousClock.now
        let interval = Duration.nanoseconds(1_000_000_000 / rate)
        let latencies = await withTaskGroup(of: Double?.self, returning: [Double?].self) { group in
            for index in 0..<count {
                let scheduled = start + interval * index
                if scheduled > .now { try? await Task.sleep(until: scheduled, clock: .continuous) }
                let url = urls[index % urls.count]
                group.addTask { await send(client, url: url, body: body, headers: headers, since: scheduled) }
            }
            var all: [Double?] = []
            for await latency in group { all.append(latency) }
            return all
        }
        return Result(latencies: latencies.compactMap { $0 }, failures: latencies.filter { $0 == nil }.count,
                      seconds: milliseconds(start.duration(to: .now)) / 1_000)
    }

    /// `count` requests from `concurrency` workers, each sending its next as soon as the last answered.
    /// With `spread`, worker i starts i × spread ÷ concurrency late, so that against a slow
    /// upstream the workers do not all send in the same instant forever after (a burst of 64 every
    /// round trip, which measures the burst, not the proxy).
    public static func closed(_ client: HTTPClient, url: String, body: ByteBuffer, headers: [(String, String)] = [], concurrency: Int, count: Int,
                              spread: Duration = .zero) async throws -> Result {
        let start = ContinuousClock.now
        let latencies = await withTaskGroup(of: [Double?].self, returning: [Double?].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    if spread > .zero { try? await Task.sleep(until: start + spread / concurrency * worker, clock: .continuous) }
                    var mine: [Double?] = []
                    for _ in stride(from: worker, to: count, by: concurrency) {
                        mine.append(await send(client, url: url, body: body, headers: headers, since: .now))
                    }
                    return mine
                }
            }
            var all: [Double?] = []
            for await part in group { all += part }
            return all
        }
        return Result(latencies: latencies.compactMap { $0 }, failures: latencies.filter { $0 == nil }.count,
                      seconds: milliseconds(start.duration(to: .now)) / 1_000)
    }

    public static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }
}
