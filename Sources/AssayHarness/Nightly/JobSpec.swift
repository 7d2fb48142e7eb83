import AssayCore

/// One job a plan asks for: a model at an effort on a suite, in one epoch. A run given these
/// runs exactly them, in this order (`RunOptions.jobs`).
package struct JobSpec: Sendable, Hashable, Codable {
    package var model: String
    package var effort: String
    package var suite: String
    package var epoch: Int

    package init(model: ModelRef, effort: Effort, suite: String, epoch: Int) {
        self.model = model.description
        self.effort = effort.rawValue
        self.suite = suite
        self.epoch = epoch
    }
}
