import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Catalog publisher")
struct CatalogPublisherTests {
    /// A store with one suite of two items, answered by `sim/m` at low effort.
    func seeded(directory: String) throws -> AssayDatabase {
        let database = try AssayDatabase(path: directory + "/assay.sqlite")
        let suite = try database.storeSuite(name: "s", task: "math", version: 1, contentSHA256: "abc", file: "s.yaml",
                                            items: [.init(key: "a", promptSHA256: "1", cluster: nil, difficulty: 1),
                                                    .init(key: "b", promptSHA256: "2", cluster: nil, difficulty: 2)])
        let run = try database.startRun(trigger: "test", budget: nil, configSHA256: "cfg")
        let job = try database.claimJob(runID: run.id!, model: ModelRef(provider: "sim", model: "m"), effort: .low,
                                        suiteID: suite.record.id!, suiteSHA256: "abc", epoch: 0)
        try database.insertSamples(["a", "b"].map { key in
            SampleRecord(jobId: job.id!, itemId: suite.itemIDs[key]!, epoch: 0, status: .ok, response: "4", score: 1, passed: true,
                         usage: Usage(inputTokens: 10, outputTokens: 2), cost: Money(nanoUSD: 50))
        })
        return database
    }

    @Test("writes catalog.json and CATALOG.md, and records the build with the document's hash")
    func publishes() throws {
        let directory = try Fixtures.temporaryDirectory("assay-publish")
        let database = try seeded(directory: directory)
        let publisher = CatalogPublisher(database: database, directory: directory + "/catalog", margin: 0.02,
                                         currentSuites: nil, prompts: [:])
        let published = try publisher.publish()
        #expect(published.document.taskNames == ["math"])
        #expect(published.written.sha256 == published.document.contentSha256)
        let read = try CatalogDocument.read(path: published.written.jsonPath)
        #expect(read.contentSha256 == published.document.contentSha256)
        #expect(FileManager.default.fileExists(atPath: published.written.markdownPath))
        let again = try publisher.publish()
        #expect(again.document.contentSha256 == published.document.contentSha256, "the same samples give the same hash")
    }

    @Test("an empty store is not found, and nothing is written")
    func emptyStore() throws {
        let directory = try Fixtures.temporaryDirectory("assay-publish")
        let database = try AssayDatabase(path: directory + "/assay.sqlite")
        let error = try #require(throws: AssayError.self) {
            try CatalogPublisher(database: database, directory: directory + "/catalog", margin: 0.02, currentSuites: nil, prompts: [:])
                .publish()
        }
        #expect(error.code == .notFound)
        #expect(!FileManager.default.fileExists(atPath: directory + "/catalog/catalog.json"))
    }
}
