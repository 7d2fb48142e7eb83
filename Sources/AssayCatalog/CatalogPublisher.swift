import AssayCatalogFormat
import AssayCore
import AssayStore
import Foundation

/// Rebuilds `catalog/` from the store: builds the document, writes its files and records the build.
/// What `catalog build`, `demo` and `nightly` share.
package struct CatalogPublisher: Sendable {
    package var database: AssayDatabase
    /// The folder catalog.json, CATALOG.md, the schema and index.html are written into.
    package var directory: String
    package var margin: Double
    /// The floor under every pick (`catalog_options.min_quality`).
    package var minQuality: Double = CatalogBuilder.defaultMinQuality
    /// Content hashes of the suites in force (the files on disk); nil takes the most recently run ones.
    package var currentSuites: Set<String>?
    /// Items' prompts as sent to a model, for the router's classifier and item signatures.
    package var prompts: [ItemRef: String]

    package init(database: AssayDatabase, directory: String, margin: Double, currentSuites: Set<String>?,
                prompts: [ItemRef: String]) {
        self.database = database
        self.directory = directory
        self.margin = margin
        self.currentSuites = currentSuites
        self.prompts = prompts
    }

    /// What a rebuild wrote.
    package struct Published: Sendable {
        package var document: CatalogDocument
        package var written: CatalogWriter.Written
    }

    /// Builds and writes the catalog; fails with `notFound` while the store has no samples.
    package func publish(now: Date = Date()) throws -> Published {
        guard try database.sampleCount() > 0 else {
            throw AssayError(.notFound, "the database \(database.path) has no samples yet",
                             hint: "run 'assay run' (or 'assay demo') first")
        }
        let current = try currentSuites ?? database.latestSuiteHashes()
        var builder = CatalogBuilder(margin: margin, prices: try database.currentPrices(), currentSuites: current,
                                     prompts: prompts, contextWindows: try database.contextWindows())
        builder.minQuality = minQuality
        let document = try builder.build(database: database)
        let written = try CatalogWriter.write(document, to: directory)
        let summary = "{\"tasks\": \(document.tasks.count), \"entries\": \(document.tasks.reduce(0) { $0 + $1.entries.count })}"
        try database.recordCatalogBuild(CatalogBuildRecord(generatedAt: now, sha256: document.contentSha256,
                                                           path: written.jsonPath, summary: summary))
        return Published(document: document, written: written)
    }
}
