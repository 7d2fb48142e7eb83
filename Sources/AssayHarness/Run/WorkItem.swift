import AssayCore
import AssayProviders
import AssayStore
import AssaySuites

/// One request to make: an item of a suite, asked of one model at one effort in one epoch.
struct WorkItem: Sendable {
    var jobID: Int64
    var itemID: Int64
    var epoch: Int
    var model: ModelRef
    var effort: Effort
    var suite: Suite
    var item: SuiteItem
    var price: PriceSheet
    /// The model's own effort field, when it overrides its provider's.
    var effortParameter: EffortParameter?
}

/// A job and the items it still needs.
struct JobPlan: Sendable {
    var job: JobRecord
    var pending: [WorkItem]
    var alreadyStored: Int
}
