import AssayCore

/// A run's money: what answers and judge calls cost, and what calls in flight have reserved.
/// Every call (an answer or a judge's verdict) reserves its cost ceiling before it is made and
/// settles to its real cost when it returns, so nothing is sent that could cross the limit.
actor RunBudget {
    let limit: Money?
    private(set) var spent = Money.zero
    private(set) var judgeSpent = Money.zero
    private var reserved = Money.zero
    /// A reservation was refused: the run should send nothing more.
    private(set) var exhausted = false

    init(limit: Money?) { self.limit = limit }

    /// Reserves `ceiling`, or refuses when it could cross the limit.
    func reserve(_ ceiling: Money) -> Bool {
        if let limit, spent + reserved + ceiling > limit {
            exhausted = true
            return false
        }
        reserved += ceiling
        return true
    }

    /// Replaces a reservation by what the call really cost (zero when it was not made).
    func settle(_ ceiling: Money, cost: Money, judge: Bool = false) {
        reserved = reserved - ceiling
        spent += cost
        if judge { judgeSpent += cost }
    }
}
