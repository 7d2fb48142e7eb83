import AssayCatalog
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Catalog builder")
struct CatalogBuilderTests {
    /// `scores` per item for one model+effort on task `t`; each sample costs `cost` nano-USD as run.
    func facts(_ model: String, _ effort: String, scores: [Double], cost: Int64, task: String = "t", status: String = "ok") -> [SampleFact] {
        scores.enumerated().map { index, score in
            SampleFact(provider: "sim", model: model, effort: effort, task: task, suite: "s", itemKey: "i\(index)",
                       status: status, score: status == "ok" ? score : nil, costNusd: status == "ok" ? cost : 0,
                       latencyMs: 100 + index)
        }
    }

    func build(_ facts: [SampleFact], margin: Double = 0.02) -> CatalogDocument {
        CatalogBuilder(margin: margin, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000)).build(facts: facts)
    }

    @Test("picks the cheapest entry within the margin of the best")
    func pickWithinMargin() throws {
        let fifty = Array(repeating: 1.0, count: 49) + [0]       // 98%
        let document = build(
            facts("big", "high", scores: Array(repeating: 1, count: 50), cost: 1_000)
                + facts("mid", "low", scores: fifty, cost: 100)
                + facts("small", "none", scores: Array(repeating: 1, count: 45) + Array(repeating: 0, count: 5), cost: 10))
        let section = try #require(document.section("t"))
        #expect(section.best == CatalogDocument.EntryRef(model: "sim/big", effort: "high"))
        #expect(section.pick?.model == "sim/mid")
        #expect(section.pick?.reason.contains("10×") == true)
        let answer = try CatalogQuery.best(in: document, task: "t")
        #expect(answer.model == "sim/mid" && answer.costPerTaskNusd == 100 && abs(answer.quality - 0.98) < 1e-12)
        // A margin of zero leaves only the best; a wide one lets the small model in.
        #expect(try CatalogQuery.best(in: document, task: "t", margin: 0).model == "sim/big")
        #expect(try CatalogQuery.best(in: document, task: "t", margin: 0.10).model == "sim/small")
        #expect(section.entries.first { $0.model == "sim/small" }?.withinMargin == false)
    }

    @Test("ties on quality go to the cheaper entry; ties on cost to the better one")
    func ties() throws {
        let same = Array(repeating: 1.0, count: 10)
        let document = build(facts("a", "low", scores: same, cost: 50) + facts("b", "low", scores: same, cost: 20)
                             + facts("c", "low", scores: Array(repeating: 1.0, count: 9) + [0.9], cost: 20))
        let section = try #require(document.section("t"))
        #expect(section.best?.model == "sim/b")
        #expect(section.pick?.model == "sim/b")
    }

    @Test("an entry whose samples all failed has no quality and is never picked")
    func errorsOnly() throws {
        let document = build(facts("broken", "high", scores: [0, 0, 0], cost: 0, status: "error")
                             + facts("ok", "low", scores: [1, 0, 1], cost: 500))
        let section = try #require(document.section("t"))
        let broken = try #require(section.entries.first { $0.model == "sim/broken" })
        #expect(broken.quality == nil && broken.errors == 3 && broken.errorRate == 1 && broken.n == 0)
        #expect(section.pick?.model == "sim/ok")
    }

    @Test("a task where every entry failed has no pick, and best says why")
    func noMeasuredEntry() {
        let document = build(facts("broken", "high", scores: [0], cost: 0, status: "error"))
        #expect(document.section("t")?.pick == nil)
        #expect(throws: AssayError.self) { try CatalogQuery.best(in: document, task: "t") }
    }

    @Test("all wrong still yields a pick: the cheapest entry")
    func allWrong() throws {
        let document = build(facts("a", "low", scores: [0, 0], cost: 5) + facts("b", "low", scores: [0, 0], cost: 9))
        let section = try #require(document.section("t"))
        #expect(section.pick?.model == "sim/a")
        #expect(section.entries.first { $0.model == "sim/a" }?.costPerSolvedNusd == nil)
    }

    @Test("cost per task uses today's price when one is known, and cost per solved divides by total score")
    func repricing() throws {
        var facts = facts("m", "low", scores: [1, 0.5, 0, 1], cost: 999)
        for index in facts.indices { facts[index].inputTokens = 1_000; facts[index].outputTokens = 100 }
        let prices = [ModelRef(provider: "sim", model: "m"): PriceSheet(dollarsPerMTok: [.input: "1", .output: "10"])!]
        let document = CatalogBuilder(margin: 0.02, prices: prices).build(facts: facts)
        let entry = try #require(document.section("t")?.entries.first)
        #expect(entry.costPerTaskNusd == 2_000_000)      // 1000 × $1 + 100 × $10 per 1M tokens = $0.002
        #expect(entry.costPerTaskAsRunNusd == 999)
        #expect(entry.costPerSolvedNusd == 3_200_000)   // $0.008 total ÷ 2.5 solved
        #expect(entry.latencyMsP50 == 101 && entry.latencyMsP95 == 103)
    }

    @Test("the content hash depends on measurements, not on when the catalog was built")
    func contentHash() throws {
        let samples = facts("a", "low", scores: [1, 0], cost: 5)
        let first = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 0)).build(facts: samples)
        let later = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_000_000)).build(facts: samples)
        #expect(first.contentSha256 == later.contentSha256)
        #expect(first.generatedAt != later.generatedAt)
        let changed = CatalogBuilder(margin: 0.02, prices: [:]).build(facts: facts("a", "low", scores: [1, 1], cost: 5))
        #expect(changed.contentSha256 != first.contentSha256)
    }

    @Test("the catalog round-trips through catalog.json and CATALOG.md is written beside it")
    func writeAndRead() throws {
        let document = build(facts("a", "low", scores: [1, 0, 1], cost: 5, task: "math"))
        let directory = try Fixtures.temporaryDirectory()
        let written = try CatalogWriter.write(document, to: directory)
        let read = try CatalogDocument.read(path: written.jsonPath)
        #expect(read == document)
        let markdown = try String(contentsOfFile: written.markdownPath, encoding: .utf8)
        #expect(markdown.contains("## math"))
        #expect(markdown.contains("| sim/a | low | 66.7% |"))
        let json = try String(contentsOfFile: written.jsonPath, encoding: .utf8)
        #expect(json.contains("\"schema_version\" : 1"))
        #expect(json.contains("\"cost_per_task_nusd\" : 5"))
    }

    @Test("a model without a price is not picked over priced ones, and is flagged")
    func unpriced() throws {
        let document = build(facts("free", "low", scores: [1, 1], cost: 0) + facts("paid", "low", scores: [1, 1], cost: 40))
        let section = try #require(document.section("t"))
        #expect(section.pick?.model == "sim/paid")
        #expect(section.entries.first { $0.model == "sim/free" }?.priced == false)
        let alone = build(facts("free", "low", scores: [1], cost: 0))
        #expect(alone.section("t")?.pick?.model == "sim/free")
    }

    @Test("an unknown task lists the known ones")
    func unknownTask() throws {
        let document = build(facts("a", "low", scores: [1], cost: 5, task: "math") + facts("a", "low", scores: [1], cost: 5, task: "coding"))
        do {
            _ = try CatalogQuery.best(in: document, task: "poetry")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.code == .notFound)
            #expect(error.hint == "known tasks: coding, math")
        }
    }

    @Test("a file that is not a catalog, or from another schema version, is refused clearly")
    func badCatalog() throws {
        let garbage = try Fixtures.file(named: "catalog.json", contents: "{\"hello\": 1}")
        #expect(throws: AssayError.self) { try CatalogDocument.read(path: garbage) }
        let future = try Fixtures.file(named: "catalog.json", contents: """
            {"schema_version": 99, "generated_at": "", "content_sha256": "", "margin": 0.02, "confidence": 0.95, "tasks": []}
            """)
        do {
            _ = try CatalogDocument.read(path: future)
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.message.contains("schema version 99"))
        }
    }
}
