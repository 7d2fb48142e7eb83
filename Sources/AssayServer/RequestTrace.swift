import AssayCore
import AssayProviders
import AssayTraffic
import Foundation
import HTTPTypes
import Tracing

/// What the traffic log and the request's trace span learn of one request as the handler goes:
/// the requested model, the targets picked, and how it ended. Made at the start of an ingress
/// handler, recorded once when the answer is whole (a stream: when its last event is written or
/// the client leaves).
struct RequestTrace: Sendable {
    let at = Date()
    let started = ContinuousClock.now
    let endpoint: String
    let client: String?
    var requestedModel = ""
    var stream = false
    var targets: ProxyHandlers.Targets?
    /// The conversation as a captured prompt (kept only when this request is sampled for capture).
    var prompt: String?
    /// What the cascade did, when the request took one: its row counts every call's tokens and cost.
    var cascade: ProxyHandlers.CascadeCharge?
    /// The request's server span, when telemetry is on (ended by `record`).
    var span: (any Span)?

    init(endpoint: String, headers: HTTPFields) {
        self.endpoint = endpoint
        client = headers[ProxyHandlers.clientHeader]
    }

    /// How the request ended.
    enum Outcome {
        case answered(ChatResponse, ProxyHandlers.Target, fallbacks: Int, ttftMs: Int?)
        /// Refused or failed before or while answering (`target`: the one that broke off mid-stream).
        case refused(Refusal, ProxyHandlers.Target?)
    }
}

extension ProxyHandlers {
    /// A trace for a request to `endpoint`, or nil when neither the traffic log nor telemetry is on.
    func trace(_ endpoint: String, headers: HTTPFields) -> RequestTrace? {
        if settings.traffic == nil && settings.telemetry == nil { return nil }
        var trace = RequestTrace(endpoint: endpoint, headers: headers)
        trace.span = settings.telemetry?.requestSpan("/v1/" + endpoint.replacingOccurrences(of: "_", with: "/"), headers: headers)
        return trace
    }

    /// Notes the request's `targets` in `trace`, and returns them with the trace's span as the
    /// parent of each upstream attempt's span.
    func noted(_ targets: Targets, in trace: inout RequestTrace?) -> Targets {
        guard trace != nil else { return targets }
        trace?.targets = targets
        var targets = targets
        targets.traceContext = trace?.span?.context
        return targets
    }

    /// Fills in what the request asked, and its prompt when it is sampled for capture.
    func note(_ ask: Ask, stream: Bool, in trace: inout RequestTrace?) {
        guard trace != nil else { return }
        trace?.requestedModel = ask.model
        trace?.stream = stream
        if let span = trace?.span {
            settings.telemetry?.asked(span, model: ask.model, maxTokens: ask.maxTokens, temperature: ask.temperature, stream: stream)
        }
        let capture = settings.capture
        if settings.traffic != nil, capture.sampleRate > 0, Double.random(in: 0..<1) < capture.sampleRate {
            let text = ask.messages.map { "\($0.role.rawValue): \($0.content)" }.joined(separator: "\n")
            trace?.prompt = TrafficRedaction.capture(text, maxBytes: capture.maxBytes)
        }
    }

    /// Records `trace` with its `outcome` in the traffic log (never blocks: a full queue drops it,
    /// counted) and ends its span.
    func record(_ trace: RequestTrace?, _ outcome: RequestTrace.Outcome) {
        guard let trace else { return }
        if let span = trace.span, let telemetry = settings.telemetry {
            var cost: Money?
            if case .answered(let answer, let target, _, _) = outcome { cost = settings.prices[target.model.description]?.cost(of: answer.usage) }
            telemetry.finished(span, targets: trace.targets, outcome: outcome, cost: cost)
        }
        guard let log = settings.traffic else { return }
        let decision = trace.targets?.decision
        var entry = TrafficEntry(at: trace.at, client: trace.client, endpoint: trace.endpoint, requestedModel: trace.requestedModel,
                                 stream: trace.stream, task: decision?.task, taskSource: decision?.taskSource,
                                 taskConfidence: decision?.taskConfidence, catalogSha256: decision?.catalogSha256, status: 200,
                                 latencyMs: Self.milliseconds(trace.started.duration(to: .now)))
        switch outcome {
        case .answered(let answer, let target, let fallbacks, let ttftMs):
            (entry.model, entry.effort) = (target.model.description, (target.effort ?? .none).rawValue)
            entry.fallbacks = fallbacks
            entry.ttftMs = ttftMs ?? answer.ttftMs
            entry.usage = answer.usage
            entry.cost = settings.prices[target.model.description]?.cost(of: answer.usage)
            entry.baselineCost = settings.baseline.flatMap { settings.prices[$0.description] }?.cost(of: answer.usage)
            if let cascade = trace.cascade { (entry.cascade, entry.usage, entry.cost) = (cascade.steps, cascade.usage, cascade.cost) }
            if let prompt = trace.prompt {
                entry.capture = .init(prompt: prompt, answer: TrafficRedaction.capture(answer.text, maxBytes: settings.capture.maxBytes))
            }
        case .refused(let refusal, let target):
            entry.status = Int(refusal.status.code)
            entry.error = refusal.code ?? refusal.type
            (entry.model, entry.effort) = (target?.model.description, target.map { ($0.effort ?? .none).rawValue })
            entry.fallbacks = trace.targets.map { _ in refusal.code == "upstream_failed" ? 1 : 0 } ?? 0
            if let cascade = refusal.cascadeCharge { (entry.cascade, entry.usage, entry.cost) = (cascade.steps, cascade.usage, cascade.cost) }
        }
        if !log.record(entry) { metrics.trafficDropped() }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
