import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A fault the simulator injects, to test how clients survive real APIs.
public struct FaultRule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// HTTP 429 with `Retry-After` seconds.
        case rateLimit(retryAfter: Double)
        /// HTTP 500, 503 or another server status.
        case server(status: Int)
        /// Answer normally, but this much later.
        case slow(milliseconds: Double)
        /// A 200 whose body is not valid JSON.
        case malformed
        /// A stream that stops after the first content chunk, without `[DONE]`.
        case cutStream
    }

    public var kind: Kind
    /// Only requests for this model; nil for every model.
    public var model: String?
    /// Only the first N matching requests; nil for no limit.
    public var first: Int?
    /// Only every Nth matching request (1 = each).
    public var every: Int

    public init(kind: Kind, model: String? = nil, first: Int? = nil, every: Int = 1) {
        self.kind = kind
        self.model = model
        self.first = first
        self.every = max(1, every)
    }

    /// Parses `KIND[:key=value…]`: kinds `429`, `500`, `503`, `slow`, `malformed`, `cut`; keys
    /// `model`, `first`, `every`, `retry-after` (seconds, for 429), `ms` (for slow).
    /// E.g. `429:retry-after=1:model=pebble-1:first=3` or `slow:ms=5000:every=10`.
    public init?(spec: String) {
        let parts = spec.split(separator: ":").map(String.init)
        guard let head = parts.first else { return nil }
        var options: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            options[pair[0]] = pair[1]
        }
        let allowed: Set<String> = ["model", "first", "every", "retry-after", "ms"]
        guard Set(options.keys).isSubset(of: allowed) else { return nil }
        switch head {
        case "429": kind = .rateLimit(retryAfter: options["retry-after"].flatMap(Double.init) ?? 1)
        case "malformed": kind = .malformed
        case "cut": kind = .cutStream
        case "slow":
            guard let ms = options["ms"].flatMap(Double.init) else { return nil }
            kind = .slow(milliseconds: ms)
        default:
            guard let status = Int(head), (500...599).contains(status) else { return nil }
            kind = .server(status: status)
        }
        model = options["model"]
        first = options["first"].flatMap(Int.init)
        every = max(1, options["every"].flatMap(Int.init) ?? 1)
    }
}

/// Decides, request by request, which fault (if any) applies. Counts matching requests per rule.
package final class FaultInjector: Sendable {
    let rules: [FaultRule]
    private let counts: Mutex<[Int]>

    package init(rules: [FaultRule]) {
        self.rules = rules
        self.counts = Mutex(Array(repeating: 0, count: rules.count))
    }

    /// The fault for this request to `model`, the first rule that fires.
    package func fault(for model: String) -> FaultRule.Kind? {
        guard !rules.isEmpty else { return nil }
        return counts.withLock { counts in
            for (index, rule) in rules.enumerated() where rule.model == nil || rule.model == model {
                counts[index] += 1
                let seen = counts[index]
                if let first = rule.first, seen > first { continue }
                if (seen - 1) % rule.every != 0 { continue }
                return rule.kind
            }
            return nil
        }
    }
}

/// What a handler does about the fault drawn for a request, in its own API's error shape.
struct FaultOutcome {
    /// Answer with this instead of a completion.
    var response: Response?
    /// Or answer normally, this much later.
    var extraLatencyMs = 0.0
    /// Or stream only the start of the answer.
    var cutStream = false

    /// `error(status, message)` renders an error body in the handler's API shape.
    init(_ fault: FaultRule.Kind?, error: (Int, String) -> Response) {
        switch fault {
        case .rateLimit(let seconds)?:
            var response = error(429, "Rate limit reached. Please try again in \(seconds)s.")
            response.headers[.retryAfter] = String(seconds)
            self.response = response
        case .server(let status)?:
            response = error(status, "The server had an error while processing your request.")
        case .malformed?:
            response = Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"id\": \"sim\", \"content\": [")))
        case .slow(let milliseconds)?:
            extraLatencyMs = milliseconds
        case .cutStream?:
            cutStream = true
        case nil:
            break
        }
    }
}
