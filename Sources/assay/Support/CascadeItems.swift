import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssayRouter
import AssayStore
import AssaySuites

/// The held-out items a cascade replay reads: the current suites' stored samples split into
/// folds as `assay router eval` splits them, each entry's answer fingerprint and stored judge
/// verdict, and the router's estimates from each fold's training catalog.
struct CascadeItems {
    /// Reads the database and suites `global` names and replays them.
    static func load(global: GlobalOptions, suites: String?, folds: Int) throws -> [CascadeItem] {
        let config = try global.loadConfig()
        let database = try AssayDatabase(path: global.databasePath(config))
        let loaded = (try? SuiteLoader.loadAll(directory: suites ?? config.suites)) ?? []
        guard !loaded.isEmpty else {
            throw AssayError(.notFound, "no suites at \(suites ?? config.suites): the router's estimates learn from the items' prompts",
                             hint: "pass --suites DIR")
        }
        let current = Set(loaded.map(\.contentSHA256))
        let facts = try database.sampleFacts().filter { current.contains($0.suiteSha256) }
        guard !facts.isEmpty else {
            throw AssayError(.notFound, "no stored samples of the current suites", hint: "run 'assay run' (or 'assay demo') first")
        }
        let prices = try database.currentPrices()
        var builder = CatalogBuilder(margin: config.margin, prices: prices, prompts: loaded.prompts)
        builder.minQuality = config.minQuality
        let answers = HoldOut.answers(facts: try database.answerFacts(suiteSHA256s: current), prices: prices)
        let splits = HoldOut.splits(facts: facts, folds: folds, builder: builder)
        let replayed: Result<[CascadeItem], RouterLoadError> = Result { () throws(RouterLoadError) in
            try CascadeItem.replay(splits: splits, answers: answers)
        }
        return try replayed.mapError { AssayError(.catalog, $0.message) }.get()
    }
}
