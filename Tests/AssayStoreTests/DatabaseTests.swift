import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

@Suite("Database")
struct DatabaseTests {
    @Test("a file database is migrated by name and runs in WAL mode")
    func migrationsAndWAL() throws {
        let path = try Fixtures.temporaryDirectory() + "/nested/assay.sqlite"
        let database = try AssayDatabase(path: path)
        #expect(try database.appliedMigrations() == ["2026-11-23-initial-schema", "2026-11-23-pricing-tracker", "2026-11-23-run-options", "2026-11-23-grading-detail", "2026-12-07-price-approval", "2026-12-07-check-verdict"])
        #expect(try database.journalMode() == "wal")
        // Reopening applies nothing twice.
        let again = try AssayDatabase(path: path)
        #expect(try again.appliedMigrations() == ["2026-11-23-initial-schema", "2026-11-23-pricing-tracker", "2026-11-23-run-options", "2026-11-23-grading-detail", "2026-12-07-price-approval", "2026-12-07-check-verdict"])
        let tables = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name")
        }
        #expect(tables == ["catalog_build", "check_verdict", "item", "job", "model", "price", "price_fetch", "price_quarantine", "run", "sample", "suite"])
    }

    @Test("money columns are integers: a real value is refused by the strict schema")
    func strictMoney() throws {
        let database = try AssayDatabase.inMemory()
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO price (provider, model, dimension, nusd_per_mtok, effective_from, source, fetched_at)
                    VALUES ('p', 'm', 'input', 0.5, '2026-01-01', 'test', '2026-01-01')
                    """)
            }
        }
    }

    func seeded() throws -> (AssayDatabase, Int64, Int64, [String: Int64]) {
        let database = try AssayDatabase.inMemory()
        let suite = try database.storeSuite(name: "s", task: "math", version: 1, contentSHA256: "abc", file: "s.yaml",
                                            items: [.init(key: "a", promptSHA256: "1", cluster: nil, difficulty: 1),
                                                    .init(key: "b", promptSHA256: "2", cluster: nil, difficulty: 2)])
        let run = try database.startRun(trigger: "test", budget: nil, configSHA256: "cfg")
        return (database, run.id!, suite.record.id!, suite.itemIDs)
    }

    @Test("a job is unique per model, effort, suite content and epoch, and is reused by later runs")
    func jobsAreReused() throws {
        let (database, runID, suiteID, _) = try seeded()
        let model = ModelRef(provider: "sim", model: "m")
        let first = try database.claimJob(runID: runID, model: model, effort: .low, suiteID: suiteID, suiteSHA256: "abc", epoch: 0)
        let again = try database.claimJob(runID: runID, model: model, effort: .low, suiteID: suiteID, suiteSHA256: "abc", epoch: 0)
        let other = try database.claimJob(runID: runID, model: model, effort: .high, suiteID: suiteID, suiteSHA256: "abc", epoch: 0)
        #expect(first.id == again.id)
        #expect(again.attempts == 2)
        #expect(other.id != first.id)
    }

    @Test("an ok sample is never overwritten; an error sample is replaced by a later answer")
    func samplesAreKept() throws {
        let (database, runID, suiteID, items) = try seeded()
        let job = try database.claimJob(runID: runID, model: ModelRef(provider: "sim", model: "m"), effort: .low,
                                        suiteID: suiteID, suiteSHA256: "abc", epoch: 0)
        let a = items["a"]!, b = items["b"]!
        try database.insertSamples([
            SampleRecord(jobId: job.id!, itemId: a, epoch: 0, status: .ok, response: "4", score: 1, passed: true,
                         usage: Usage(inputTokens: 10, outputTokens: 2), cost: Money(nanoUSD: 50)),
            SampleRecord(jobId: job.id!, itemId: b, epoch: 0, status: .error, errorKind: "rate_limit", errorMessage: "429"),
        ])
        #expect(try database.answeredItemIDs(jobID: job.id!) == [a])
        try database.insertSamples([
            SampleRecord(jobId: job.id!, itemId: a, epoch: 0, status: .ok, response: "5", score: 0, passed: false),
            SampleRecord(jobId: job.id!, itemId: b, epoch: 0, status: .ok, response: "6", score: 1, passed: true),
        ])
        #expect(try database.answeredItemIDs(jobID: job.id!) == [a, b])
        let responses = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT response FROM sample ORDER BY item_id")
        }
        #expect(responses == ["4", "6"])
        #expect(try database.sampleCount() == 2)
        let facts = try database.sampleFacts()
        #expect(facts.count == 2)
        #expect(facts.first { $0.itemKey == "a" }?.costNusd == 50)
    }

    @Test("a price change closes the old row and opens a new one; an unchanged price adds nothing")
    func priceHistory() throws {
        let database = try AssayDatabase.inMemory()
        let model = ModelRef(provider: "sim", model: "m")
        let first = PriceSheet(dollarsPerMTok: [.input: "1", .output: "4"])!
        #expect(try database.recordPrices(first, for: model, source: "config") == 2)
        #expect(try database.recordPrices(first, for: model, source: "config") == 0)
        let changed = PriceSheet(dollarsPerMTok: [.input: "0.5", .output: "4"])!
        #expect(try database.recordPrices(changed, for: model, source: "config") == 1)
        #expect(try database.currentPrices()[model] == changed)
        let rows = try database.writer.read { db in try PriceRecord.fetchAll(db) }
        #expect(rows.count == 3)
        #expect(rows.filter { $0.effectiveTo != nil }.map(\.nusdPerMtok) == [1_000_000_000])
    }

    @Test("a model whose efforts all reason alike is flagged as ignoring the effort setting")
    func effortInsensitive() {
        let rows = [
            AssayDatabase.ObservedEffort(model: "llama/smollm2", effort: "low", samples: 3, reasoningTokensMean: 0, reasoningTokensMax: 0, outputTokensMean: 20),
            AssayDatabase.ObservedEffort(model: "llama/smollm2", effort: "high", samples: 3, reasoningTokensMean: 0, reasoningTokensMax: 0, outputTokensMean: 21),
            AssayDatabase.ObservedEffort(model: "sim/finch", effort: "none", samples: 3, reasoningTokensMean: 0, reasoningTokensMax: 0, outputTokensMean: 5),
            AssayDatabase.ObservedEffort(model: "sim/finch", effort: "low", samples: 3, reasoningTokensMean: 300, reasoningTokensMax: 400, outputTokensMean: 305),
            AssayDatabase.ObservedEffort(model: "sim/finch", effort: "high", samples: 3, reasoningTokensMean: 2_500, reasoningTokensMax: 3_000, outputTokensMean: 2_505),
        ]
        #expect(rows.effortInsensitiveModels == ["llama/smollm2"])
    }

    @Test("suites are stored once per content hash")
    func suitesByHash() throws {
        let database = try AssayDatabase.inMemory()
        let items: [AssayDatabase.ItemInput] = [.init(key: "a", promptSHA256: "1", cluster: nil, difficulty: nil)]
        let one = try database.storeSuite(name: "s", task: "t", version: 1, contentSHA256: "h1", file: "f", items: items)
        let same = try database.storeSuite(name: "s", task: "t", version: 1, contentSHA256: "h1", file: "f", items: items)
        let edited = try database.storeSuite(name: "s", task: "t", version: 1, contentSHA256: "h2", file: "f", items: items)
        #expect(one.record.id == same.record.id)
        #expect(edited.record.id != one.record.id)
        #expect(one.itemIDs == same.itemIDs)
    }
}
