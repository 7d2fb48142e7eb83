import AssayCore

/// One job a plan asks for: a model at an effort on a suite, in one epoch. A run given these
/// runs exactly them, in this order (`RunOptions.jobs`).
public struct JobSpec: Sendable, Hashable, Codable {
    public var model: String
    public var effort: String
    public var suite: String
    public var epoch: Int

    public init(model: ModelRef, effort: Effort, suite: String, epoch: Int) {
        self.model = model.description
        self.effort = effort.rawValue
        self.suite = suite
        self.epoch = epoch
    }
}
