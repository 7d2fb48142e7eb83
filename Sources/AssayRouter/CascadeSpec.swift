import AssayCatalogFormat

/// A worker/advisor cascade: the worker answers; the check doubts its answer or not; on doubt
/// the advisor answers instead (docs/cascades.md).
public struct CascadeSpec: Sendable, Hashable, Codable {
    /// Entries, `provider/model@effort`.
    public var worker: String
    public var advisor: String
    public var check: CascadeCheck

    public init(worker: String, advisor: String, check: CascadeCheck) {
        (self.worker, self.advisor, self.check) = (worker, advisor, check)
    }

    /// A worker answer scoring at least this counts as right when the check's accuracy is tallied.
    package static let rightAt = 0.5

    /// What the cascade does on one item at `threshold`: every call it makes is priced (the
    /// worker's, the check's, the advisor's when asked). A worker that did not answer, or a check
    /// that cannot be read (no stored second answer, estimate or verdict), sends the item to the
    /// advisor. The `estimate` check is known before any call, so on doubt the worker is never
    /// asked and not paid for (its stored answer still scores the check's accuracy).
    public func step(on item: CascadeItem, threshold: Double) -> Step {
        var step = Step()
        guard let worker = item.outcomes[worker] else {
            step.unchecked = true
            return escalate(step, item)
        }
        step.workerCost = worker.costNusd
        step.workerRight = worker.score >= Self.rightAt
        let answer = item.answers[self.worker]
        var doubt: Bool?
        switch check {
        case .estimate:
            doubt = item.estimates[self.worker].map { $0 < threshold }
        case .judge:
            if let answer, let score = answer.judgeScore, let cost = answer.judgeCostNusd {
                step.checkCost = cost
                doubt = score < threshold
            }
        case .agreement(let partner):
            if let answer, let partner {
                if let other = item.answers[partner], let paid = item.outcomes[partner] {
                    step.checkCost = paid.costNusd
                    doubt = other.fingerprint != answer.fingerprint
                }
            } else if let answer, let again = answer.otherEpochFingerprint {
                step.checkCost = worker.costNusd
                doubt = again != answer.fingerprint
            }
        }
        step.doubted = doubt
        if check == .estimate && doubt == true { step.workerCost = 0 }
        guard doubt == false else {
            step.unchecked = doubt == nil
            return escalate(step, item)
        }
        step.score = worker.score
        return step
    }

    private func escalate(_ step: Step, _ item: CascadeItem) -> Step {
        var step = step
        step.escalated = true
        let advisor = item.outcomes[advisor]
        step.advisorCost = advisor?.costNusd ?? 0
        step.score = advisor?.score ?? 0
        return step
    }

    /// One item's path through the cascade.
    public struct Step: Sendable, Equatable {
        public var score = 0.0
        package var workerCost = 0.0, checkCost = 0.0, advisorCost = 0.0
        package var escalated = false
        /// The check's verdict; nil when it could not be read.
        package var doubted: Bool?
        package var workerRight: Bool?
        package var unchecked = false

        public var cost: Double { workerCost + checkCost + advisorCost }
    }
}
