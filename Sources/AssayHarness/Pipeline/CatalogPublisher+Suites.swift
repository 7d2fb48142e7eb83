import AssayCatalog
import AssayCatalogFormat
import AssayStore
import AssaySuites

extension CatalogPublisher {
    /// A publisher whose current suites are the files in `suitesDirectory`; when they cannot be
    /// read, the most recently run versions, without prompts.
    package init(database: AssayDatabase, directory: String, margin: Double, suitesDirectory: String) {
        let suites = try? SuiteLoader.loadAll(directory: suitesDirectory)
        self.init(database: database, directory: directory, margin: margin,
                  currentSuites: suites.map { Set($0.map(\.contentSHA256)) }, prompts: (suites ?? []).prompts)
    }
}

extension Array where Element == Suite {
    /// Every item's prompt as sent to a model, for the router's classifier and item signatures.
    public var prompts: [ItemRef: String] {
        var prompts: [ItemRef: String] = [:]
        for suite in self {
            for item in suite.items { prompts[ItemRef(suite: suite.name, item: item.id)] = item.renderedPrompt }
        }
        return prompts
    }
}
