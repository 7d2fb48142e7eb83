import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import AssayStore

/// The held-out items a cascade replay reads: the current suites' stored samples split into
/// folds as `assay router eval` splits them, each entry's answer fingerprint and stored judge
/// verdict, and the router's estimates from each fold's training catalog.
struct CascadeItems {
    /// Reads the database and suites `global` names and replays them.
    static func load(global: GlobalOptions, suites: String?, folds: Int) throws -> [CascadeItem] {
        let stored = try StoredSamples.load(global: global, suites: suites)
        let answers = HoldOut.answers(facts: try stored.database.answerFacts(suiteSHA256s: stored.suiteSHA256s), prices: stored.prices)
        let splits = stored.splits(folds: folds)
        let replayed: Result<[CascadeItem], RouterLoadError> = Result { () throws(RouterLoadError) in
            try CascadeItem.replay(splits: splits, answers: answers)
        }
        return try replayed.mapError { AssayError(.catalog, $0.message) }.get()
    }
}
