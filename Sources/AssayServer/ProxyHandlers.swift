import AssayCatalog
import AssayCore
import AssayProviders
import AssayRouter
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// The OpenAI-compatible ingress: `model: "auto"` / `"auto:<task>"` is routed by the catalog,
/// a concrete `provider/model` passes through unrouted. On an upstream failure the decision's
/// fallbacks are tried in order; `x-assay-route` explains the choice.
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
    /// Set by the key check for the handlers: the name of the client key that called.
    static let clientHeader = HTTPField.Name("x-assay-client")!

    /// Where one request may go, in order, and the header that explains it.
    struct Targets {
        var list: [(model: ModelRef, effort: Effort?)]
        var explanation: String
        var decision: Decision?
        /// The conversation, for a routed request (its next turn may stay on the model that answers).
        var session: String?
        /// The client key's name, when keys are required: what the answer costs is charged to it.
        var client: String?
    }

    /// The request body decoded as `type` (`what` names it in the refusal), at most `maxBodyBytes`.
    func readBody<T: Decodable>(_ request: Request, as type: T.Type, what: String) async -> Result<T, Refusal> {
        let buffer: ByteBuffer
        switch await collectBody(request) {
        case .success(let value): buffer = value
        case .failure(let refusal): return .failure(refusal)
        }
        do { return .success(try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))) } catch {
            return .failure(Refusal(400, "invalid_request_error", "the body is not \(what): \(error)", code: "invalid_json"))
        }
    }

    /// The whole body, at most `maxBodyBytes`, within the body timeout (a client trickling its
    /// body a byte at a time holds a connection and a request slot for no longer than that).
    func collectBody(_ request: Request) async -> Result<ByteBuffer, Refusal> {
        let limit = settings.load.bodyTimeout
        return await withTaskGroup(of: Result<ByteBuffer, Refusal>?.self) { group in
            group.addTask {
                do { return .success(try await request.body.collect(upTo: Self.maxBodyBytes)) } catch {
                    return .failure(Refusal(413, "invalid_request_error", "the request body is larger than \(Self.maxBodyBytes) bytes", code: "request_too_large"))
                }
            }
            group.addTask {
                do { try await Task.sleep(for: limit) } catch { return nil }
                return .failure(Refusal(408, "invalid_request_error", "the request body did not arrive within \(limit.formattedSeconds) (serve.body_timeout_seconds)",
                                        code: "request_timeout"))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(Refusal(499, "invalid_request_error", "the request was cancelled", code: "cancelled"))
        }
    }

    func readRequest(_ request: Request) async -> Result<OpenAIWire.Request, Refusal> {
        let read = await readBody(request, as: OpenAIWire.Request.self, what: "a chat completion request")
        return read.flatMap { wire in Result { () throws(Refusal) in try validation(for: request.headers).check(openAI: wire); return wire } }
    }

    /// The request checks for the caller: the server's max-tokens cap, or the client key's own when it is lower.
    func validation(for headers: HTTPFields) -> RequestValidation {
        let keyCap = headers[Self.clientHeader].flatMap { settings.keys?.entry(named: $0)?.maxTokens }
        return RequestValidation(maxTokensCap: min(settings.maxTokens, keyCap ?? .max))
    }

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

    func targets(for ask: Ask, headers: HTTPFields) -> Result<Targets, Refusal> {
        guard let prompt = ask.messages.last(where: { $0.role == .user })?.content else {
            return .failure(Refusal(400, "invalid_request_error", "'messages' must contain at least one user message", code: "invalid_value"))
        }
        if ask.model == "auto" || ask.model.hasPrefix("auto:") {
            let snapshot = holder.snapshot
            let session = SessionTable.id(header: headers[Self.sessionHeader], client: headers[Self.clientHeader],
                                          messages: ask.messages)
            do {
                // The whole conversation (tool calls and definitions included) counts against a context window.
                var probe = ask.chatRequest(model: "", effort: nil)
                probe.maxTokens = 0
                let decision = try snapshot.decide(RouteRequest(prompt: prompt, model: ask.model, taskHeader: headers[Self.taskHeader],
                                                                session: session.flatMap(sessions.session),
                                                                promptTokens: probe.estimatedTokens, maxTokens: ask.maxTokens))
                metrics.decision(model: decision.model, effort: decision.effort, task: decision.task)
                let choices = [(decision.model, decision.effort)] + decision.fallbacks.map { ($0.model, $0.effort) }
                let list = choices.compactMap { choice -> (model: ModelRef, effort: Effort?)? in
                    ModelRef(choice.0).map { ($0, Effort(rawValue: choice.1)) }
                }
                return .success(Targets(list: list, explanation: decision.reason,
                                        decision: decision, session: session, client: headers[Self.clientHeader]))
            } catch {
                return .failure(Refusal(error.code == .unknownTask ? 400 : 503, "invalid_request_error", error.message,
                                        code: error.code.rawValue))
            }
        }
        guard let ref = ModelRef(ask.model), providers[ref.provider] != nil,
              settings.passthrough.allows(ref) || holder.snapshot.models.contains(ref.description) else {
            return .failure(Refusal(404, "invalid_request_error",
                                    "model '\(Self.headerSafe(String(ask.model.prefix(RequestValidation.maxModelNameBytes))))' is neither 'auto', 'auto:<task>' nor a provider/model this server passes through (serve.passthrough, docs/server.md)",
                                    code: "model_not_found"))
        }
        return .success(Targets(list: [(ref, ask.effort)], explanation: "passthrough \(ref)", decision: nil, client: headers[Self.clientHeader]))
    }

    /// Asks the targets in order until one answers; a failed one is skipped while its circuit is open.
    func complete(_ ask: Ask, headers: HTTPFields) async -> Result<(answer: ChatResponse, model: ModelRef, explanation: String), Refusal> {
        let targets: Targets
        switch self.targets(for: ask, headers: headers) {
        case .success(let value): targets = value
        case .failure(let refusal): return .failure(refusal)
        }
        var failures: [String] = []
        let deadline = ContinuousClock.now + settings.deadline
        candidates: for target in targets.list {
            let provider: any ModelProvider, remaining: Duration
            switch admit(target, among: targets.list.count, deadline: deadline, failures: &failures) {
            case .ask(let admitted, let left): (provider, remaining) = (admitted, left)
            case .skip: continue candidates
            case .stop: break candidates
            }
            let started = ContinuousClock.now
            do {
                let request = ask.chatRequest(model: target.model.model, effort: target.effort)
                let answer = try await withinLimit(min(settings.attemptTimeout, remaining)) { () async throws(ProviderError) -> ChatResponse in
                    try await provider.complete(request)
                }
                answered(answer, by: target, since: started, targets: targets)
                return .success((answer, target.model, explanation(targets, answeredBy: target, after: failures)))
            } catch {
                if Task.isCancelled {
                    return .failure(Refusal(499, "invalid_request_error", "the request was cancelled", code: "cancelled"))
                }
                failed(target, since: started)
                metrics.fallback(from: target.model.description)
                logger.warning("upstream failed", metadata: ["assay.model": "\(target.model)", "provider.error": "\(error)"])
                failures.append("\(target.model): \(error.kind.rawValue)")
            }
        }
        return .failure(Refusal(502, "upstream_error", "every candidate failed: \(failures.joined(separator: "; "))", code: "upstream_failed"))
    }

    /// Whether to ask `target` next: its provider and the time left, or skip it (no provider, or
    /// its circuit is open while others remain), or stop (the request's deadline passed). The
    /// reason for a skip or stop is added to `failures`.
    enum Admission {
        case ask(any ModelProvider, remaining: Duration)
        case skip, stop
    }

    func admit(_ target: (model: ModelRef, effort: Effort?), among count: Int, deadline: ContinuousClock.Instant,
               failures: inout [String]) -> Admission {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else {
            failures.append("the request's deadline of \(settings.deadline.formattedSeconds) passed")
            return .stop
        }
        guard let provider = providers[target.model.provider] else {
            failures.append("\(target.model): provider '\(target.model.provider)' is not configured")
            return .skip
        }
        if breakers.isOpen(target.model.description), count > 1 {
            failures.append("\(target.model): circuit open")
            metrics.fallback(from: target.model.description)
            return .skip
        }
        return .ask(provider, remaining: remaining)
    }

    /// The `x-assay-route` header for an answer from `target`, naming the candidates that failed first.
    func explanation(_ targets: Targets, answeredBy target: (model: ModelRef, effort: Effort?), after failures: [String]) -> String {
        var explanation = targets.explanation
        if !failures.isEmpty { explanation += "; answered by \(target.model) after: \(failures.joined(separator: " | "))" }
        return Self.headerSafe(explanation)
    }

    /// Records a candidate's failure: its circuit breaker and the upstream latency histogram.
    func failed(_ target: (model: ModelRef, effort: Effort?), since started: ContinuousClock.Instant) {
        breakers.failed(target.model.description)
        metrics.upstream(model: target.model.description, seconds: started.duration(to: .now), ok: false)
    }

    /// Records a candidate's answer: its circuit breaker, the upstream latency, what the answer
    /// cost (and would have on the baseline), and where the conversation went.
    func answered(_ answer: ChatResponse, by target: (model: ModelRef, effort: Effort?), since started: ContinuousClock.Instant, targets: Targets) {
        let usage = answer.usage
        metrics.upstream(model: target.model.description, seconds: started.duration(to: .now), ok: true)
        breakers.succeeded(target.model.description)
        if !answer.usageAnomalies.isEmpty {
            metrics.usageAnomaly(model: target.model.description)
            logger.warning("upstream reported impossible usage; clamped", metadata: [
                "assay.model": "\(target.model)", "assay.usage.anomalies": "\(answer.usageAnomalies.prefix(5).joined(separator: ", "))"])
        }
        let actual = settings.prices[target.model.description]?.cost(of: usage)
        let baseline = settings.baseline.flatMap { settings.prices[$0.description] }?.cost(of: usage)
        metrics.cost(model: target.model.description, actual: actual, baseline: baseline)
        if let client = targets.client, let actual { settings.keys?.charge(client, actual) }
        if let session = targets.session {
            sessions.record(session, entry: "\(target.model)@\((target.effort ?? .none).rawValue)", promptTokens: usage.inputTokens)
        }
    }

    func chatCompletions(_ request: Request, context: AssayRequestContext) async -> Response {
        let wire: OpenAIWire.Request
        switch await readRequest(request) {
        case .success(let value): wire = value
        case .failure(let refusal): return refusal.response
        }
        let ask = Ask(openAI: wire)
        if let refusal = budgetRefusal(headers: request.headers) { return refusal.response }
        if wire.stream == true { return await streamChatCompletion(ask, includeUsage: wire.streamOptions?.includeUsage == true, headers: request.headers) }
        let headers = request.headers
        switch await hangUps.run(on: context.channel, { await complete(ask, headers: headers) }) {
        case .success(let result):
            return OpenAIResponses.respond(result.answer, model: result.model.description, headers: [Self.routeHeader: result.explanation])
        case .failure(let refusal):
            return refusal.response
        }
    }

    /// The refusal for a client key whose daily spend budget is used up (429, retry at the next
    /// UTC midnight), or nil. Checked before a request is sent, charged after it is answered: a key
    /// can overshoot its budget by what its requests in flight at that moment cost.
    func budgetRefusal(headers: HTTPFields) -> Refusal? {
        guard let client = headers[Self.clientHeader], let gate = settings.keys,
              let (budget, spent, retryAfter) = gate.exhaustedBudget(client) else { return nil }
        metrics.clientRejected(reason: "budget_exhausted")
        return Refusal(429, "insufficient_quota",
                       "the daily spend budget of key '\(client)' (\(budget)) is used up (\(spent) today); it renews at 00:00 UTC",
                       code: "budget_exceeded", retryAfter: retryAfter)
    }

    /// `POST /v1/route`: the decision only, nothing sent upstream.
    func route(_ request: Request) async -> Response {
        let wire: OpenAIWire.Request
        switch await readRequest(request) {
        case .success(let value): wire = value
        case .failure(let refusal): return refusal.response
        }
        let ask = Ask(model: wire.model, messages: wire.messages)
        switch targets(for: ask, headers: request.headers) {
        case .success(let targets):
            guard let decision = targets.decision else {
                return Refusal(400, "invalid_request_error", "'/v1/route' routes 'auto' or 'auto:<task>' models", code: "invalid_value").response
            }
            return json(decision, encoder: CatalogDocument.encoder(), headers: [Self.routeHeader: Self.headerSafe(targets.explanation)])
        case .failure(let refusal):
            return refusal.response
        }
    }

    /// `GET /v1/models`: `auto`, `auto:<task>` for every task in the catalog, and the models it routes to.
    func models() -> Response {
        let snapshot = holder.snapshot
        let ids = ["auto"] + snapshot.taskNames.map { "auto:\($0)" } + snapshot.models
        return json(OpenAIWire.ModelList(data: ids.map { .init(id: $0, created: 0, ownedBy: "assay") }))
    }

    /// Header values must be visible ASCII: anything else becomes `?`.
    static func headerSafe(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) { return text }
        return String(text.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? Character($0) : "?" })
    }
}

/// A refusal in OpenAI's error shape.
struct Refusal: Error {
    var status: Int
    var type: String
    var message: String
    var code: String?
    /// The request field at fault, when one is (OpenAI's `param`).
    var param: String?
    /// Seconds after which the client may retry (`retry-after`), for refusals of load or budget.
    var retryAfter: Int?

    init(_ status: Int, _ type: String, _ message: String, code: String? = nil, param: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.code = code
        self.param = param
        self.retryAfter = retryAfter
    }

    var response: Response {
        var response = ServerErrors.openAI(status, type, message, code: code, param: param)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
