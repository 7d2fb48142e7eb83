import AssayCore
import AssayProviders

/// The one walk over a request's targets that whole and streamed answers share: skip what is
/// unconfigured or whose circuit is open, stop at the deadline, ask each in turn, record every
/// answer and failure (circuit breakers, latency, cost, fallbacks, the conversation), and say
/// why the walk ended without an answer.
extension ProxyHandlers {
    /// How one attempt failed: before it sent anything (the next target may be tried), or after
    /// (a stream already committed to it: no fallback, the client has part of an answer).
    enum AttemptError: Error {
        case failed(ProviderError)
        case brokeOff(ProviderError)
    }

    /// How a walk ended without an answer: a refusal for the client, or the committed target's
    /// failure mid-answer; `cancelled` when the client went away.
    struct WalkFailure: Error {
        var refusal: Refusal
        var brokeOff: ProviderError?
        var cancelled = false
    }

    /// One target to ask, with its provider and the time it has (the request's deadline less
    /// what earlier targets took), and the failures so far (for the route header).
    typealias Attempt = (_ target: Target, _ provider: any ModelProvider, _ remaining: Duration, _ failures: [String])
        async throws(AttemptError) -> ChatResponse

    /// Asks `targets` in order until one answers.
    func walk(_ targets: Targets, attempt: Attempt) async throws(WalkFailure) -> (answer: ChatResponse, target: Target, failures: [String]) {
        var failures: [String] = []
        let deadline = targets.deadline ?? ContinuousClock.now + settings.deadline
        for (index, target) in targets.list.enumerated() {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                failures.append("the request's deadline of \(settings.deadline.formattedSeconds) passed")
                break
            }
            guard let provider = providers[target.model.provider] else {
                failures.append("\(target.model): provider '\(target.model.provider)' is not configured")
                continue
            }
            if breakers.isOpen(target.model.description), targets.list.count > 1 {
                failures.append("\(target.model): circuit open")
                metrics.fallback(from: target.model.description)
                continue
            }
            let started = ContinuousClock.now
            // Only a traced request has a parent context: without telemetry no span is made.
            let span = targets.traceContext.flatMap { settings.telemetry?.attemptSpan(target, index: index, parent: $0) }
            do {
                let answer = try await attempt(target, provider, remaining, failures)
                let cost = answered(answer, by: target, since: started, targets: targets)
                if let span { settings.telemetry?.attemptAnswered(span, answer, cost: cost) }
                return (answer, target, failures)
            } catch {
                // The client went away: nothing failed upstream, and nobody waits for another target.
                if Task.isCancelled {
                    if let span { settings.telemetry?.attemptFailed(span, kind: "cancelled") }
                    throw WalkFailure(refusal: .cancelled, cancelled: true)
                }
                let (providerError, committed) = switch error {
                case .failed(let failure): (failure, false)
                case .brokeOff(let failure): (failure, true)
                }
                if let span { settings.telemetry?.attemptFailed(span, kind: providerError.kind.rawValue) }
                breakers.failed(target.model.description)
                metrics.upstream(model: target.model.description, seconds: started.duration(to: .now), ok: false)
                logger.warning("upstream failed", metadata: ["assay.model": "\(target.model)", "provider.error": "\(providerError)",
                                                             "assay.stream.committed": "\(committed)"])
                if committed {
                    throw WalkFailure(refusal: Refusal(502, "upstream_error", "\(target.model) failed mid-answer: \(providerError.kind.rawValue)",
                                                       code: "upstream_failed"), brokeOff: providerError)
                }
                metrics.fallback(from: target.model.description)
                failures.append("\(target.model): \(providerError.kind.rawValue)")
            }
        }
        throw WalkFailure(refusal: Refusal(502, "upstream_error", "every candidate failed: \(failures.joined(separator: "; "))", code: "upstream_failed"))
    }

    /// A whole answer, who gave it after how many failed targets, and the route header.
    struct Answered: Sendable {
        var answer: ChatResponse
        var target: Target
        var fallbacks: Int
        var explanation: String
        /// What a cascade did: its steps, every call's usage and cost together (nil: a single pick).
        var cascade: CascadeCharge?
    }

    /// A whole answer from the first target that gives one within its attempt timeout.
    func complete(_ ask: Ask, targets: Targets) async throws(Refusal) -> Answered {
        do throws(WalkFailure) {
            let (answer, target, failures) = try await walk(targets) { target, provider, remaining, _ throws(AttemptError) in
                let request = ask.chatRequest(model: target.model.model, effort: target.effort)
                do throws(ProviderError) {
                    return try await withinLimit(min(settings.attemptTimeout, remaining)) { () async throws(ProviderError) -> ChatResponse in
                        try await provider.complete(request)
                    }
                } catch {
                    throw .failed(error)
                }
            }
            return Answered(answer: answer, target: target, fallbacks: failures.count, explanation: explanation(targets, answeredBy: target, after: failures))
        } catch {
            throw error.refusal
        }
    }

    /// The `x-assay-route` header for an answer from `target`, naming the candidates that failed first.
    func explanation(_ targets: Targets, answeredBy target: Target, after failures: [String]) -> String {
        var explanation = targets.explanation
        if !failures.isEmpty { explanation += "; answered by \(target.model) after: \(failures.joined(separator: " | "))" }
        return Self.headerSafe(explanation)
    }

    /// Records a target's answer: its circuit breaker, the upstream latency, impossible usage, what
    /// the answer cost (and would have on the baseline, and to its client key), and where the
    /// conversation went. Returns what the answer cost, when its model has a price.
    @discardableResult
    func answered(_ answer: ChatResponse, by target: Target, since started: ContinuousClock.Instant, targets: Targets) -> Money? {
        let model = target.model.description
        metrics.upstream(model: model, seconds: started.duration(to: .now), ok: true)
        breakers.succeeded(model)
        if !answer.usageAnomalies.isEmpty {
            metrics.usageAnomaly(model: model)
            logger.warning("upstream reported impossible usage; clamped", metadata: [
                "assay.model": "\(target.model)", "assay.usage.anomalies": "\(answer.usageAnomalies.prefix(5).joined(separator: ", "))"])
        }
        let actual = settings.prices[model]?.cost(of: answer.usage)
        // A cascade's step counts no baseline of its own: the request's answer is priced against it once (ProxyHandlers+Cascade).
        let baseline = targets.cascadeStep ? nil : settings.baseline.flatMap { settings.prices[$0.description] }?.cost(of: answer.usage)
        metrics.cost(model: model, actual: actual, baseline: baseline)
        if let client = targets.client, let actual { settings.keys?.charge(client, actual) }
        if let session = targets.session {
            sessions.record(session, entry: EntryKey(target.model, target.effort ?? .none).description, promptTokens: answer.usage.inputTokens)
        }
        return actual
    }
}
