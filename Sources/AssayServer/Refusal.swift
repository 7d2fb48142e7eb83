import AssayProviders
import Hummingbird
import HTTPTypes

/// A request `assay serve` will not answer. Handlers and middleware throw it; it renders itself
/// (Hummingbird's `HTTPResponseError` way) in the shape of the API the request spoke: Anthropic's
/// `{"type": "error", "error": {type, message}}` under `/v1/messages`, OpenAI's
/// `{"error": {message, type, code, param}}` elsewhere.
struct Refusal: HTTPResponseError {
    var status: HTTPResponse.Status
    /// OpenAI's `error.type` (Anthropic's comes from the status).
    var type: String
    var message: String
    var code: String?
    /// The request field at fault, when one is (OpenAI's `param`).
    var param: String?
    /// Seconds after which the client may retry (`retry-after`), for refusals of load or budget.
    var retryAfter: Int?
    /// What a cascade had already spent when its advisor (and every fallback) failed: its traffic row counts it.
    var cascadeCharge: ProxyHandlers.CascadeCharge?

    init(_ status: Int, _ type: String, _ message: String, code: String? = nil, param: String? = nil, retryAfter: Int? = nil) {
        self.status = .init(code: status)
        self.type = type
        self.message = message
        self.code = code
        self.param = param
        self.retryAfter = retryAfter
    }

    /// The client went away (or the server is stopping) before an answer: nginx's 499.
    static let cancelled = Refusal(499, "invalid_request_error", "the request was cancelled", code: "cancelled")

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.speaksAnthropic(request.uri.path) ? anthropicResponse : response
    }

    /// Anthropic's Messages API lives under `/v1/messages`; everything else speaks OpenAI's shape.
    static func speaksAnthropic(_ path: String) -> Bool { path.hasPrefix("/v1/messages") }

    /// In OpenAI's shape.
    var response: Response {
        var response = ServerErrors.openAI(Int(status.code), type, message, code: code, param: param)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// In Anthropic's shape, its type from the status.
    var anthropicResponse: Response {
        let type = switch status.code {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 502: "api_error"
        case 503: "overloaded_error"
        default: "invalid_request_error"
        }
        var response = AnthropicResponses.error(Int(status.code), type, message)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
