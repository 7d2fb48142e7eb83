import Hummingbird
import HTTPTypes

/// Renders every refusal in the error shape of the API the client speaks — Anthropic's under
/// `/v1/messages`, OpenAI's elsewhere: the `Refusal`s that handlers and middleware throw, and
/// those the router itself makes (an unknown path, a wrong method, a body the framework cannot
/// read), instead of an empty body.
struct ErrorShapeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let refusal as Refusal {
            return try refusal.response(from: request, context: context)
        } catch let error as HTTPError {
            let status = Int(error.status.code)
            let message = switch status {
            case 404: "no such endpoint: \(request.method) \(request.uri.path) (assay serve has /v1/chat/completions, /v1/messages, /v1/messages/count_tokens, /v1/route, /v1/models, /healthz, /metrics)"
            case 405: "\(request.method) is not allowed on \(request.uri.path)"
            default: error.body ?? error.status.reasonPhrase
            }
            let refusal = Refusal(status, status == 404 ? "not_found_error" : "invalid_request_error", message,
                                  code: status == 404 ? "unknown_url" : "invalid_request")
            return try refusal.response(from: request, context: context)
        } catch {
            return try Refusal(500, "server_error", "internal error: \(error)", code: "internal_error").response(from: request, context: context)
        }
    }
}
