import AssayCatalogFormat
import AssayCore
import AssayProviders
import Hummingbird
import HTTPTypes
import NIOCore

/// The OpenAI-compatible ingress: `model: "auto"` / `"auto:<task>"` is routed by the catalog,
/// a concrete `provider/model` passes through unrouted; `x-assay-route` explains the choice.
extension ProxyHandlers {
    /// A chat completion request, read and checked against what OpenAI's API accepts.
    func readChatRequest(_ request: Request, context: AssayRequestContext) async throws(Refusal) -> OpenAIWire.Request {
        let wire = try await readBody(request, as: OpenAIWire.Request.self, what: "a chat completion request", context: context)
        try validation(for: request.headers).check(openAI: wire)
        return wire
    }

    /// `POST /v1/chat/completions`.
    func chatCompletions(_ request: Request, context: AssayRequestContext) async throws -> Response {
        var trace = self.trace("chat_completions", headers: request.headers)
        do throws(Refusal) {
            let wire = try await readChatRequest(request, context: context)
            let ask = Ask(openAI: wire)
            note(ask, stream: wire.stream == true, in: &trace)
            try checkBudget(headers: request.headers)
            let targets = noted(try self.targets(for: ask, headers: request.headers, stream: wire.stream == true), in: &trace)
            if wire.stream == true {
                let committed = try await relay(ask, targets: targets)
                let (model, includeUsage) = (committed.target.model.description, wire.streamOptions?.includeUsage == true)
                return eventStream(committed, trace: trace) { OpenAIStreamWriter(model: model, includeUsage: includeUsage) }
            }
            let result = try await answer(ask, targets: targets, on: context.channel)
            trace?.cascade = result.cascade
            record(trace, .answered(result.answer, result.target, fallbacks: result.fallbacks, ttftMs: nil))
            let (model, headers): (String, HTTPFields) = (result.target.model.description, [Self.routeHeader: result.explanation])
            guard result.cascade == nil else { return OpenAIResponses.respond(result.answer, model: model, headers: headers) }
            return AnswerRelay.respond(result.answer, as: .openAI, model: model, headers: headers) {
                OpenAIResponses.respond(result.answer, model: model, headers: headers)
            }
        } catch {
            record(trace, .refused(error, nil))
            throw error
        }
    }

    /// `complete` (or the cascade, when `targets` carries one), cancelled when the client on `channel` hangs up.
    func answer(_ ask: Ask, targets: Targets, on channel: any Channel) async throws(Refusal) -> Answered {
        try await hangUps.run(on: channel) { () async -> Result<Answered, Refusal> in
            do throws(Refusal) {
                if let route = targets.cascade { return .success(try await runCascade(ask, targets: targets, route: route)) }
                return .success(try await complete(ask, targets: targets))
            } catch { return .failure(error) }
        }.get()
    }

    /// `POST /v1/route`: the decision only, nothing sent upstream.
    func route(_ request: Request, context: AssayRequestContext) async throws -> Response {
        let wire = try await readChatRequest(request, context: context)
        let targets = try self.targets(for: Ask(model: wire.model, messages: wire.messages, maxTokens: wire.maxCompletionTokens ?? wire.maxTokens), headers: request.headers)
        guard let decision = targets.decision else {
            throw Refusal(400, "invalid_request_error", "'/v1/route' routes 'auto' or 'auto:<task>' models", code: "invalid_value")
        }
        return json(decision, encoder: CatalogDocument.encoder(), headers: [Self.routeHeader: Self.headerSafe(targets.explanation)])
    }

    /// `GET /v1/models`: `auto`, `auto:<task>` for every task in the catalog, and the models it routes to.
    func models() -> Response {
        let snapshot = holder.snapshot
        let ids = ["auto"] + snapshot.taskNames.map { "auto:\($0)" } + snapshot.models
        return json(OpenAIWire.ModelList(data: ids.map { .init(id: $0, created: 0, ownedBy: "assay") }))
    }
}
