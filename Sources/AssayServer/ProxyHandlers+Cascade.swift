import AssayCore
import AssayRouter
import AssayTraffic

/// The cascade objective (docs/cascades.md, "In the server"): for a whole answer to a task whose
/// plan (`serve.cascade.plan`) has a cascade, the worker answers, the check runs, and on doubt
/// the advisor answers instead. Every call is one target walked as a single pick's are, so each
/// is charged to the client key and counted in the cost metrics; the request's traffic row and
/// `x-assay-route` header carry the path, the check and what each step cost. The judge check is
/// in ProxyHandlers+CascadeJudge.
extension ProxyHandlers {
    /// What a cascade did and cost: its steps, and every call's usage and price together.
    struct CascadeCharge: Sendable {
        var steps: CascadeSteps
        var usage: Usage
        /// The sum of the steps' costs; nil when a call answered by a model without a price.
        var cost: Money?
    }

    /// Gives `targets` the cascade of `decision`'s task, or says in its header why the request is
    /// routed as a single pick: streamed, or no served cascade for the task.
    func cascade(_ decision: Decision, prompt: String, stream: Bool, into targets: inout Targets) {
        if stream {
            targets.explanation = "cascade: not for a streamed request (the check must read the whole answer first), single pick: " + targets.explanation
            return
        }
        guard let route = settings.cascades?.routes[decision.task] else {
            let why = settings.cascades?.skipped[decision.task] ?? "the cascade plan does not name it"
            targets.explanation = "cascade: none for task \(decision.task), \(why); single pick: " + targets.explanation
            return
        }
        targets.cascade = route
        targets.prompt = prompt
        // What /v1/route says; an answered request's header names the path taken and each step's cost instead.
        targets.explanation = "cascade task=\(decision.task): worker \(route.worker), check \(route.spec.check) at \(route.threshold), "
            + "advisor \(route.advisor); single pick: " + targets.explanation
    }

    /// The cascade's answer to `ask`: the worker's when the check trusts it, else the advisor's
    /// (then the single pick's targets after it, should the advisor fail).
    func runCascade(_ ask: Ask, targets: Targets, route: CascadeRoutes.Route) async throws(Refusal) -> Answered {
        let task = targets.decision?.task ?? ""
        // The request's deadline covers every call of the cascade, not each call afresh.
        var timed = targets
        timed.deadline = ContinuousClock.now + settings.deadline
        let targets = timed
        var worker: Result<Answered, Refusal>?
        var partner: Result<Answered, Refusal>?
        var doubt: Bool?
        var checkName = route.spec.check.description
        switch route.spec.check {
        case .estimate:
            // Known before any call: on doubt the worker is not asked (as `assay cascade eval` replays it).
            let estimate = holder.snapshot.estimates(prompt: targets.prompt, task: task)[route.spec.worker]
            doubt = estimate.map { $0 < route.threshold }
            if let estimate { checkName += " " + Money.fixed(estimate, digits: 3) + " vs " + Money.fixed(route.threshold, digits: 3) }
            if doubt == false { worker = await step(ask, route.worker, targets: targets) }
        case .agreement:
            let other = route.partner ?? route.worker
            async let first = step(ask, route.worker, targets: targets)
            async let second = step(ask, other, targets: targets)
            (worker, partner) = await (first, second)
            if case .success(let a)? = worker, case .success(let b)? = partner {
                doubt = AnswerFingerprint.of(a.answer.text) != AnswerFingerprint.of(b.answer.text)
            }
        case .judge:
            // After the worker: the judge reads its answer. A failed call or an unreadable verdict is unread: the advisor answers.
            worker = await step(ask, route.worker, targets: targets)
            if case .success(let answered)? = worker, let judged = await judgeCheck(ask, answer: answered.answer.text, targets: targets) {
                partner = judged.call
                if let score = judged.score {
                    doubt = score < route.threshold
                    checkName += " " + Money.fixed(score, digits: 3) + " vs " + Money.fixed(route.threshold, digits: 3)
                } else {
                    checkName += (try? judged.call.get()) == nil ? " (judge failed)" : " (verdict without SCORE: n/10)"
                }
            } else if settings.cascadeJudge == nil {
                checkName += " (no judge configured)"
            }
        }
        let workerAnswer = try? worker?.get()
        let partnerAnswer = try? partner?.get()
        if Task.isCancelled {
            var refusal = Refusal.cancelled
            refusal.cascadeCharge = charge(path: "worker", check: "\(checkName) cancelled", [workerAnswer, partnerAnswer, nil])
            throw refusal
        }
        var verdict = doubt.map { $0 ? "doubted" : "trusted" } ?? "unread"
        if doubt == false, workerAnswer == nil { verdict += ", worker failed" }

        var used: Answered
        var advisorAnswer: Answered?
        if doubt == false, let workerAnswer {
            used = workerAnswer
        } else {
            var escalation = targets
            escalation.list = [target(route.advisor)].compactMap { $0 } + targets.list.filter {
                !($0.model.description == route.advisor.model && ($0.effort ?? .none).rawValue == route.advisor.effort)
            }
            (escalation.cascade, escalation.cascadeStep, escalation.session) = (nil, true, nil)
            do {
                used = try await complete(ask, targets: escalation)
            } catch {
                // Nothing to send back, but the worker's and the check's calls were paid: the request's row counts them.
                var refusal = error
                refusal.cascadeCharge = charge(path: "advisor", check: "\(checkName) \(verdict), advisor failed", [workerAnswer, partnerAnswer, nil])
                throw refusal
            }
            advisorAnswer = used
        }
        let path = advisorAnswer == nil ? "worker" : "advisor"
        let charged = charge(path: path, check: "\(checkName) \(verdict)", [workerAnswer, partnerAnswer, advisorAnswer])
        metrics.cascade(task: task, path: path)
        if let session = targets.session {
            sessions.record(session, entry: EntryKey(used.target.model, used.target.effort ?? .none).description, promptTokens: used.answer.usage.inputTokens)
        }
        metrics.baseline(settings.baseline.flatMap { settings.prices[$0.description] }?.cost(of: used.answer.usage), against: charged.cost)
        let header = cascadeHeader(task: task, route: route, steps: charged.steps, asked: (worker != nil, partner != nil, path == "advisor"),
                                   total: charged.cost, answered: used)
        used.explanation = Self.headerSafe(header)
        used.cascade = charged
        return used
    }

    /// The steps and their costs from the answers of the worker, the check's partner and the
    /// advisor (nil: not asked or failed); the total is nil when an answer's model has no price.
    func charge(path: String, check: String, _ calls: [Answered?]) -> CascadeCharge {
        let costs = calls.map { $0.map(price) }
        let steps = CascadeSteps(path: path, check: check, workerCost: costs[0] ?? nil, checkCost: costs[1] ?? nil, advisorCost: costs[2] ?? nil)
        let answered = costs.compactMap { $0 }
        let total = answered.contains(where: { $0 == nil }) ? nil : answered.compactMap { $0 }.reduce(Money.zero, +)
        let usage = calls.compactMap { $0?.answer.usage }.reduce(Usage.zero) { sum, next in
            Usage(inputTokens: sum.inputTokens + next.inputTokens, cachedInputTokens: sum.cachedInputTokens + next.cachedInputTokens,
                  cacheWriteTokens: sum.cacheWriteTokens + next.cacheWriteTokens, outputTokens: sum.outputTokens + next.outputTokens,
                  reasoningTokens: sum.reasoningTokens + next.reasoningTokens)
        }
        return CascadeCharge(steps: steps, usage: usage, cost: total)
    }

    /// One call of a cascade: `entry` alone, charged to the key, not priced against the baseline.
    func step(_ ask: Ask, _ entry: EntryKey, targets: Targets) async -> Result<Answered, Refusal> {
        guard let target = target(entry) else {
            return .failure(Refusal(502, "upstream_error", "the cascade plan names '\(entry)', not provider/model@effort", code: "upstream_failed"))
        }
        return await step(ask, target, targets: targets)
    }

    /// One call of a cascade to `target` alone (the judge is asked without an effort).
    func step(_ ask: Ask, _ target: Target, targets: Targets) async -> Result<Answered, Refusal> {
        var one = targets
        // The conversation follows the answer that goes back (runCascade), not every call.
        (one.list, one.cascade, one.cascadeStep, one.session) = ([target], nil, true, nil)
        do { return .success(try await complete(ask, targets: one)) } catch { return .failure(error) }
    }

    func target(_ entry: EntryKey) -> Target? {
        ModelRef(entry.model).map { Target(model: $0, effort: Effort(rawValue: entry.effort)) }
    }

    /// What `answered` cost at today's price of the model that gave it; nil when it has none.
    func price(_ answered: Answered) -> Money? {
        settings.prices[answered.target.model.description]?.cost(of: answered.answer.usage)
    }

    /// `cascade task=math path=advisor; worker sim/a@none $0.000030000; check agreement:sim/b@none
    /// doubted $0.000030000; advisor sim/c@high $0.000300; total $0.000360`.
    func cascadeHeader(task: String, route: CascadeRoutes.Route, steps: CascadeSteps, asked: (worker: Bool, partner: Bool, advisor: Bool),
                       total: Money?, answered: Answered) -> String {
        func cost(_ money: Money?, _ asked: Bool) -> String { asked ? money.map(\.description) ?? "no answer or price" : "not asked" }
        var parts = ["cascade task=\(task) path=\(steps.path)", "worker \(route.worker) \(cost(steps.workerCost, asked.worker))",
                     "check \(steps.check)" + (asked.partner ? " " + cost(steps.checkCost, true) : ""),
                     "advisor \(route.advisor) \(cost(steps.advisorCost, asked.advisor))",
                     "total " + (total?.description ?? "unpriced")]
        if answered.fallbacks > 0 { parts.append("answered by \(answered.target.model) after \(answered.fallbacks) failed") }
        return parts.joined(separator: "; ")
    }
}
