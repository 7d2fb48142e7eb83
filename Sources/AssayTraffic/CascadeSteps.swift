import AssayCore

/// What one request under the cascade objective did, as the traffic log keeps it: which answer
/// went back (`worker` or `advisor`), the check and its verdict, and what each step cost (nil:
/// not asked, or its model has no price). The request's `cost` is the sum of the three.
public struct CascadeSteps: Sendable, Hashable {
    /// `worker` (the check trusted the worker's answer) or `advisor`.
    public var path: String
    /// The check and its verdict: `estimate trusted`, `agreement:sim/x@none doubted`, `… unread`.
    public var check: String
    public var workerCost: Money?
    public var checkCost: Money?
    public var advisorCost: Money?

    public init(path: String, check: String, workerCost: Money? = nil, checkCost: Money? = nil, advisorCost: Money? = nil) {
        self.path = path
        self.check = check
        self.workerCost = workerCost
        self.checkCost = checkCost
        self.advisorCost = advisorCost
    }
}
