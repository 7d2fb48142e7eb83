import AssayCore
import AssayProviders
import AssayRouter
import HTTPTypes
import Tracing

extension ProxyHandlers {
    /// One place a request may go: a model at an effort (nil: the model's default).
    struct Target: Sendable {
        var model: ModelRef
        var effort: Effort?
    }

    /// Where one request may go, in order, and the header that explains it.
    struct Targets: Sendable {
        var list: [Target]
        var explanation: String
        var decision: Decision?
        /// The conversation, for a routed request (its next turn may stay on the model that answers).
        var session: String?
        /// The client key's name, when keys are required: what the answer costs is charged to it.
        var client: String?
        /// The task's cascade, when the request takes the cascade objective and is not streamed
        /// (ProxyHandlers+Cascade): then `list` is the single pick's, for the header only.
        var cascade: CascadeRoutes.Route?
        /// The prompt the cascade's `estimate` check reads.
        var prompt = ""
        /// One call of a cascade: its cost is charged, but it is not priced against the baseline alone.
        var cascadeStep = false
        /// When the request's time is up, shared by a cascade's calls (nil: `serve.deadline_seconds` from the walk's start).
        var deadline: ContinuousClock.Instant?
        /// The request's span, when telemetry is on: each upstream attempt's span is its child.
        var traceContext: InstrumentationContext?
    }

    /// The targets of `ask`: the catalog's decision and its fallbacks for `auto` and
    /// `auto:<task>`, else the named model when this server passes it through. Under the cascade
    /// objective, a whole (not `stream`ed) answer to a task with a served cascade carries it.
    func targets(for ask: Ask, headers: HTTPFields, stream: Bool = false) throws(Refusal) -> Targets {
        guard let prompt = ask.messages.last(where: { $0.role == .user })?.content else {
            throw Refusal(400, "invalid_request_error", "'messages' must contain at least one user message", code: "invalid_value")
        }
        let client = headers[Self.clientHeader]
        // An alias names what the requested model stands for; the answer still carries the model that answered.
        let model = settings.aliases.target(for: ask.model) ?? ask.model
        if model == "auto" || model.hasPrefix("auto:") {
            let snapshot = holder.snapshot
            let session = SessionTable.id(header: headers[Self.sessionHeader], client: client, messages: ask.messages)
            // The whole conversation (tool calls and definitions included) counts against a context window.
            var probe = ask.chatRequest(model: "", effort: nil)
            probe.maxTokens = 0
            var tradeoff = Tradeoff(cascade: settings.cascadeByDefault)
            if let header = headers[Self.tradeoffHeader] {
                do { tradeoff = try Tradeoff(parsing: header) } catch {
                    throw Refusal(400, "invalid_request_error", "header x-assay-tradeoff \(error.message)", code: "invalid_value")
                }
            }
            if tradeoff.cascade, settings.cascades == nil {
                throw Refusal(400, "invalid_request_error",
                              "header x-assay-tradeoff asks for cascade, but this server serves no cascade plan (serve.cascade.plan, docs/cascades.md)",
                              code: "invalid_value")
            }
            let decision: Decision
            do {
                decision = try snapshot.decide(RouteRequest(prompt: prompt, model: model, taskHeader: headers[Self.taskHeader],
                                                            objective: tradeoff.objective, maxCostNusd: tradeoff.maxCostNusd,
                                                            excluded: ask.tools.isEmpty ? [] : settings.modelsWithoutTools,
                                                            session: session.flatMap(sessions.session),
                                                            promptTokens: probe.estimatedTokens, maxTokens: ask.maxTokens))
            } catch {
                throw Refusal(error.code == .unknownTask ? 400 : 503, "invalid_request_error", error.message, code: error.code.rawValue)
            }
            metrics.decision(model: decision.model, effort: decision.effort, task: decision.task)
            let choices = [(decision.model, decision.effort)] + decision.fallbacks.map { ($0.model, $0.effort) }
            let list = choices.compactMap { model, effort in ModelRef(model).map { Target(model: $0, effort: Effort(rawValue: effort)) } }
            var targets = Targets(list: list, explanation: decision.reason, decision: decision, session: session, client: client)
            if tradeoff.cascade { cascade(decision, prompt: prompt, stream: stream, into: &targets) }
            return targets
        }
        let ref = try passedThrough(model, requested: ask.model)
        return Targets(list: [Target(model: ref, effort: ask.effort)], explanation: "passthrough \(ref)", decision: nil, client: client)
    }

    /// The concrete model `model` (the requested name after aliases) names, when this server
    /// passes it through; else a 404 naming what the client asked for.
    func passedThrough(_ model: String, requested: String) throws(Refusal) -> ModelRef {
        guard let ref = ModelRef(model), providers[ref.provider] != nil,
              settings.passthrough.allows(ref) || holder.snapshot.models.contains(ref.description) else {
            let named = Self.headerSafe(String(requested.prefix(RequestValidation.maxModelNameBytes)))
            throw Refusal(404, "invalid_request_error",
                          "model '\(named)' is neither 'auto', 'auto:<task>', a serve.aliases pattern nor a provider/model this server passes through (serve.passthrough, docs/server.md)",
                          code: "model_not_found")
        }
        return ref
    }

    /// Refuses a model this server would not answer for, as `targets(for:headers:)` would, without
    /// routing: an unknown `auto:<task>` (400) or a model neither routed nor passed through (404).
    func checkServable(_ requested: String) throws(Refusal) {
        let model = settings.aliases.target(for: requested) ?? requested
        if model == "auto" { return }
        if model.hasPrefix("auto:") {
            let task = String(model.dropFirst(5))
            let tasks = holder.snapshot.taskNames
            guard tasks.contains(task) else {
                throw Refusal(400, "invalid_request_error", "unknown task '\(Self.headerSafe(String(task.prefix(64))))'; known tasks: \(tasks.joined(separator: ", "))",
                              code: "unknownTask")
            }
            return
        }
        _ = try passedThrough(model, requested: requested)
    }
}
