import AssayCore
import AssayProviders
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// What the ingress handlers share: the catalog, the providers, the circuit breakers, metrics,
/// settings and conversations. `POST /v1/chat/completions` (ProxyHandlers+OpenAI) and
/// `POST /v1/messages` (AnthropicIngress) read their body into a neutral `Ask`, pick `Targets`
/// (ProxyHandlers+Targets), and walk them (CandidateWalk): whole (`complete`) or streamed
/// (StreamRelay). Every refusal is a thrown `Refusal`, rendered in the client's error shape.
struct ProxyHandlers: Sendable {
    let holder: RouterHolder
    let providers: [String: any ModelProvider]
    let logger: Logger
    let breakers = CircuitBreakers()
    let metrics: ServerMetrics
    let settings: ServerSettings
    let sessions: SessionTable
    let hangUps = HangUpWatch()

    static let maxBodyBytes = 4 * 1024 * 1024
    static let routeHeader = HTTPField.Name("x-assay-route")!
    static let taskHeader = HTTPField.Name("x-assay-task")!
    static let sessionHeader = HTTPField.Name("x-assay-session")!
    /// The request's cost–quality trade-off (`Tradeoff`: cheapest, best, utility=λ, max-cost=USD).
    static let tradeoffHeader = HTTPField.Name("x-assay-tradeoff")!
    /// Set by the key check for the handlers: the name of the client key that called.
    static let clientHeader = HTTPField.Name("x-assay-client")!

    /// What both ingress formats ask, in neutral terms.
    struct Ask: Sendable {
        var model: String
        var messages: [ChatRequest.Message]
        var maxTokens: Int?
        var temperature: Double?
        var seed: Int?
        /// The effort a passthrough request names (routed requests take the decision's).
        var effort: Effort?
        var tools: [ChatTool] = []
        var toolChoice: ToolChoice?
        var stop: [String] = []
    }

    init(holder: RouterHolder, providers: [String: any ModelProvider], logger: Logger, metrics: ServerMetrics, settings: ServerSettings) {
        self.holder = holder
        self.providers = providers
        self.logger = logger
        self.metrics = metrics
        self.settings = settings
        sessions = SessionTable(capacity: settings.sessionCapacity)
    }

    /// The request body decoded as `type` (`what` names it in the refusal), at most `maxBodyBytes`.
    /// A body that does not arrive in time is cut off by the connection's watch (`serve.body_timeout_seconds`).
    func readBody<T: Decodable>(_ request: Request, as type: T.Type, what: String, context: AssayRequestContext) async throws(Refusal) -> T {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: Self.maxBodyBytes) } catch {
            if hangUps.bodyTimedOut(context.channel) {
                throw Refusal(408, "invalid_request_error", "the request body did not arrive within \(settings.load.bodyTimeout.formattedSeconds) (serve.body_timeout_seconds)",
                              code: "request_timeout")
            }
            throw Refusal(413, "invalid_request_error", "the request body is larger than \(Self.maxBodyBytes) bytes", code: "request_too_large")
        }
        do { return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView)) } catch {
            throw Refusal(400, "invalid_request_error", "the body is not \(what): \(error)", code: "invalid_json")
        }
    }

    /// The request checks for the caller: the server's max-tokens cap, or the client key's own when it is lower.
    func validation(for headers: HTTPFields) -> RequestValidation {
        let keyCap = headers[Self.clientHeader].flatMap { settings.keys?.entry(named: $0)?.maxTokens }
        return RequestValidation(maxTokensCap: min(settings.maxTokens, keyCap ?? .max))
    }

    /// Refuses a client key whose daily spend budget is used up (429, retry at the next UTC
    /// midnight). Checked before a request is sent, charged after it is answered: a key can
    /// overshoot its budget by what its requests in flight at that moment cost.
    func checkBudget(headers: HTTPFields) throws(Refusal) {
        guard let client = headers[Self.clientHeader], let gate = settings.keys,
              let (budget, spent, retryAfter) = gate.exhaustedBudget(client) else { return }
        metrics.clientRejected(reason: "budget_exhausted")
        throw Refusal(429, "insufficient_quota", "the daily spend budget of key '\(client)' (\(budget)) is used up (\(spent) today); it renews at 00:00 UTC",
                      code: "budget_exceeded", retryAfter: retryAfter)
    }

    /// Header values must be visible ASCII: anything else becomes `?`.
    static func headerSafe(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) { return text }
        return String(text.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? Character($0) : "?" })
    }
}
