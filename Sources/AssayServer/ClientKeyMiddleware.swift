import Hummingbird
import HTTPTypes

/// Refuses `/v1/*` requests without a known client key, or over the key's rate limit, before
/// anything is read or routed: 401 or 429 (with `retry-after`) in the shape of the API asked
/// (Anthropic's for `/v1/messages`, OpenAI's otherwise).
struct ClientKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: ClientKeyGate
    let metrics: ServerMetrics
    let refusals: RefusalLog

    static var apiKeyHeader: HTTPField.Name { HTTPField.Name("x-api-key")! }

    /// The key from `Authorization: Bearer …` (OpenAI clients) or `x-api-key` (Anthropic clients).
    static func key(in headers: HTTPFields) -> String? {
        if let value = headers[apiKeyHeader], !value.isEmpty { return value }
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]).trimmingCharacters(in: .whitespaces) : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let refusal: Refusal
        var client: String?
        switch gate.check(key: Self.key(in: request.headers)) {
        case .allowed(let name):
            // The handlers see which key called (conversations are remembered per key), never the key.
            var head = request.head
            head.headerFields[ProxyHandlers.clientHeader] = name
            return try await next(Request(head: head, body: request.body), context)
        case .missingKey:
            metrics.clientRejected(reason: "missing_key")
            refusal = Refusal(401, "invalid_request_error",
                              "no API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>' (keys come from 'assay keys add')",
                              code: "missing_api_key")
        case .unknownKey:
            metrics.clientRejected(reason: "unknown_key")
            refusal = Refusal(401, "invalid_request_error", "the API key is not one this server accepts", code: "invalid_api_key")
        case .limited(let name, let retryAfter):
            metrics.clientRejected(reason: "rate_limited")
            refusal = Refusal(429, "requests", "rate limit of key '\(name)' reached; retry after \(retryAfter) s", code: "rate_limit_exceeded",
                              retryAfter: retryAfter)
            client = name
        }
        refusals.record(refusal, method: request.method, path: request.uri.path, client: client)
        throw refusal
    }
}
