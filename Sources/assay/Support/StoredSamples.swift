import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssayStore
import AssaySuites

/// The current suites' stored samples and a catalog builder over their prompts: what
/// `assay router eval` and `assay cascade` replay on held-out folds.
struct StoredSamples {
    let database: AssayDatabase
    /// The content hashes of the suites loaded now; samples of other versions are left out.
    let suiteSHA256s: Set<String>
    let facts: [SampleFact]
    let prices: [ModelRef: PriceSheet]
    /// The catalog builder each fold's training catalog is made with.
    let builder: CatalogBuilder

    /// Reads the database and suites `global` names (`suites` overrides the config's folder).
    static func load(global: GlobalOptions, suites: String?, margin: Double? = nil) throws -> StoredSamples {
        let config = try global.loadConfig()
        let database = try AssayDatabase(path: global.databasePath(config))
        let loaded = (try? SuiteLoader.loadAll(directory: suites ?? config.suites)) ?? []
        guard !loaded.isEmpty else {
            throw AssayError(.notFound, "no suites at \(suites ?? config.suites): the router learns from the items' prompts",
                             hint: "pass --suites DIR")
        }
        let current = Set(loaded.map(\.contentSHA256))
        let facts = try database.sampleFacts().filter { current.contains($0.suiteSha256) }
        guard !facts.isEmpty else {
            throw AssayError(.notFound, "no stored samples of the current suites", hint: "run 'assay run' (or 'assay demo') first")
        }
        let prices = try database.currentPrices()
        var builder = CatalogBuilder(margin: margin ?? config.margin, prices: prices, prompts: loaded.prompts)
        builder.minQuality = config.minQuality
        return StoredSamples(database: database, suiteSHA256s: current, facts: facts, prices: prices, builder: builder)
    }

    /// The held-out folds of `facts`, as `router eval` splits them.
    func splits(folds: Int) -> [HoldOut.Split] { HoldOut.splits(facts: facts, folds: folds, builder: builder) }
}
