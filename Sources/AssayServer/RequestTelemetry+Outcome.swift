import AssayCore
import AssayRouter
import Tracing

extension RequestTelemetry {
    /// Ends a request's server span with the routing decision and how the request ended: the
    /// answering model, its usage and cost, or the refusal's status and code (never its message,
    /// which may quote what the client sent).
    func finished(_ span: any Span, targets: ProxyHandlers.Targets?, outcome: RequestTrace.Outcome, cost: Money?) {
        span.updateAttributes { attributes in
            if let decision = targets?.decision {
                attributes[GenAIAttributes.routeTask] = decision.task
                attributes[GenAIAttributes.routeTaskSource] = decision.taskSource
                attributes[GenAIAttributes.routeReason] = decision.reason
                attributes[GenAIAttributes.routeObjective] = decision.objective
                attributes[GenAIAttributes.catalogSha256] = decision.catalogSha256
            }
            if let targets { attributes[GenAIAttributes.routeCandidates] = targets.list.count }
            switch outcome {
            case .answered(let answer, let target, let fallbacks, _):
                attributes[GenAIAttributes.httpStatus] = 200
                attributes[GenAIAttributes.routeEntry] = EntryKey(target.model, target.effort ?? .none).description
                attributes[GenAIAttributes.routeFallbacks] = fallbacks
                if let provider = providerNames[target.model.provider] { attributes[GenAIAttributes.providerName] = provider }
                if answer.model == nil { attributes[GenAIAttributes.responseModel] = target.model.model }
                Self.setAnswer(answer, cost: cost, on: &attributes)
            case .refused(let refusal, let target):
                attributes[GenAIAttributes.httpStatus] = Int(refusal.status.code)
                attributes[GenAIAttributes.errorType] = refusal.code ?? refusal.type
                if let target { attributes[GenAIAttributes.routeEntry] = EntryKey(target.model, target.effort ?? .none).description }
            }
        }
        if case .refused(let refusal, _) = outcome { span.setStatus(SpanStatus(code: .error, message: refusal.code ?? refusal.type)) }
        span.end()
    }
}
