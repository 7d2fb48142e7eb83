/// A failed provider call, classified so the runner knows whether to retry, stop, or record it.
///
/// Messages never include API keys or request bodies; at most a bounded excerpt of the body the
/// provider sent back.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case rateLimited = "rate_limit", auth, badRequest = "bad_request", contextTooLong = "context_too_long"
        case server, timeout, unreachable, malformedResponse = "malformed_response", truncatedStream = "truncated_stream"
    }

    public var kind: Kind
    public var message: String
    public var statusCode: Int?
    /// Seconds the provider asked us to wait (`Retry-After`).
    public var retryAfter: Double?

    public init(_ kind: Kind, _ message: String, statusCode: Int? = nil, retryAfter: Double? = nil) {
        self.kind = kind
        self.message = message
        self.statusCode = statusCode
        self.retryAfter = retryAfter
    }

    /// Worth another try with the same request.
    package var isRetryable: Bool {
        switch kind {
        case .rateLimited, .server, .timeout, .unreachable, .malformedResponse, .truncatedStream: true
        case .auth, .badRequest, .contextTooLong: false
        }
    }

    public var description: String {
        let status = statusCode.map { " (HTTP \($0))" } ?? ""
        return "\(kind.rawValue)\(status): \(message)"
    }

    /// Classifies an HTTP error status and body excerpt.
    public static func from(status: Int, body: String, retryAfter: Double?) -> ProviderError {
        let excerpt = body.count > 300 ? String(body.prefix(300)) + "…" : body
        let lower = body.lowercased()
        switch status {
        case 401, 403:
            return ProviderError(.auth, "the provider rejected the API key: \(excerpt)", statusCode: status)
        case 429:
            return ProviderError(.rateLimited, "rate limited: \(excerpt)", statusCode: status, retryAfter: retryAfter)
        case _ where [400, 413, 422].contains(status) && lower.contains("context")
            && (lower.contains("length") || lower.contains("too long")):
            return ProviderError(.contextTooLong, "the prompt does not fit the context window: \(excerpt)", statusCode: status)
        case 408:
            return ProviderError(.timeout, "the provider timed out: \(excerpt)", statusCode: status, retryAfter: retryAfter)
        case 400..<500:
            return ProviderError(.badRequest, "the provider refused the request: \(excerpt)", statusCode: status)
        default:
            return ProviderError(.server, "the provider failed: \(excerpt)", statusCode: status, retryAfter: retryAfter)
        }
    }
}
