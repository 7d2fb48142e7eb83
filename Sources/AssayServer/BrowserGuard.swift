import Hummingbird
import HTTPTypes

/// Keeps web pages from driving the proxy with the operator's provider keys. A page can make a
/// browser send a "simple" cross-site POST (form or text/plain body, no preflight: CSRF), or
/// point a name it controls at 127.0.0.1 (DNS rebinding) and read the answers. So every request
/// must name this server in `Host` (`serve.allowed_hosts`), a request from a page (`Origin`, or
/// `Sec-Fetch-Site` other than `none`/`same-origin`) must come from an allowed origin
/// (`serve.allowed_origins`, none by default), and a POST must carry a JSON body type, which
/// no page can send cross-site without a preflight that this guard refuses.
package struct BrowserGuard: Sendable {
    /// Host names (no port) that `Host` may carry; `*` accepts any (for wildcard binds behind a proxy).
    package var allowedHosts: Set<String>
    /// Origins (`https://app.example.com`) whose pages may call; empty refuses every page.
    package var allowedOrigins: Set<String>

    package init(allowedHosts: Set<String> = BrowserGuard.loopbackNames, allowedOrigins: Set<String> = []) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        self.allowedOrigins = allowedOrigins
    }

    package static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]

    /// Why `head` is refused (status and message), or nil when it may proceed.
    func refusal(_ head: HTTPRequest) -> Refusal? {
        guard let authority = head.authority, let host = Self.hostName(authority),
              allowedHosts.contains("*") || allowedHosts.contains(host) else {
            let named = head.authority.map { "'\(ProxyHandlers.headerSafe(String($0.prefix(100))))'" } ?? "no Host"
            return Refusal(421, "invalid_request_error",
                           "\(named) is not a name this server answers to: add it to serve.allowed_hosts (docs/security.md)", code: "host_not_allowed")
        }
        let origin = head.headerFields[.origin]
        let site = head.headerFields[Self.fetchSite]
        if origin != nil || (site != nil && site != "none" && site != "same-origin") {
            guard let origin, allowedOrigins.contains(origin) else {
                return Refusal(403, "invalid_request_error",
                               "requests from web pages are refused unless their origin is in serve.allowed_origins (docs/security.md)",
                               code: "origin_not_allowed")
            }
        }
        if head.method == .post {
            let type = head.headerFields[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard type == "application/json" else {
                return Refusal(415, "invalid_request_error", "the body must be sent as 'Content-Type: application/json'", code: "unsupported_media_type")
            }
        }
        return nil
    }

    static let fetchSite = HTTPField.Name("sec-fetch-site")!

    /// The host part of an authority (`example.com:8080`, `[::1]:8080`), lower-cased; nil when malformed.
    static func hostName(_ authority: String) -> String? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            return String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
        }
        let host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return host.isEmpty ? nil : host.lowercased()
    }
}

/// Applies a `BrowserGuard` to every request, preflights (`OPTIONS`) included: allowed origins
/// get CORS headers, everything refused gets the error shape of the API the path belongs to.
struct BrowserGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let guardrail: BrowserGuard
    let refusals: RefusalLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = guardrail.refusal(request.head) {
            refusals.record(refusal, method: request.method, path: request.uri.path, client: nil)
            throw refusal
        }
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        // Past the guard, an origin is an allowed one.
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "authorization, content-type, x-api-key, anthropic-version, x-assay-task, x-assay-session"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        return response
    }
}
