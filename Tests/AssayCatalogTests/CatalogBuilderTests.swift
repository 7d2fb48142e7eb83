import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Catalog builder")
struct CatalogBuilderTests {
    /// `scores` per item for one model+effort on task `t`; each sample costs `cost` nano-USD as run.
    func facts(_ model: String, _ effort: String, scores: [Double], cost: Int64, task: String = "t", status: SampleStatus = .ok) -> [SampleFact] {
        scores.enumerated().map { index, score in
            SampleFact(provider: "sim", model: model, effort: effort, task: task, suite: "s", itemKey: "i\(index)",
                       status: status, score: status == .ok ? score : nil, costNusd: status == .ok ? cost : 0,
                       latencyMs: 100 + index)
        }
    }

    func build(_ facts: [SampleFact], margin: Double = 0.02, minQuality: Double = CatalogBuilder.defaultMinQuality) -> CatalogDocument {
        var builder = CatalogBuilder(margin: margin, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000))
        builder.minQuality = minQuality
        return builder.build(facts: facts)
    }

    /// big: 50/50 at 1,000 nUSD; mid: 49/50 (misses one item big gets) at 100; small: 45/50 at 10.
    var ladder: [SampleFact] {
        facts("big", "high", scores: Array(repeating: 1, count: 50), cost: 1_000)
            + facts("mid", "low", scores: Array(repeating: 1.0, count: 49) + [0], cost: 100)
            + facts("small", "none", scores: Array(repeating: 1, count: 45) + Array(repeating: 0, count: 5), cost: 10)
    }

    @Test("verdicts: paired differences against the best, with the rule-of-three floor")
    func verdicts() throws {
        let tight = try #require(build(ladder, margin: 0.02).section("t"))
        func entry(_ model: String, in section: CatalogDocument.TaskSection) -> CatalogDocument.Entry? {
            section.entries.first { $0.model == "sim/\(model)" }
        }
        #expect(tight.best == CatalogDocument.EntryRef(model: "sim/big", effort: "high"))
        #expect(entry("big", in: tight)?.verdict == .best)
        // mid − big: mean −0.02; SE floored at √3/50 = 0.0346; 90% CI −0.077 … +0.037 straddles −0.02.
        let mid = try #require(entry("mid", in: tight))
        #expect(mid.verdict == .undecided)
        let comparison = try #require(mid.comparison)
        #expect(comparison.sharedItems == 50)
        #expect(abs(comparison.meanDifference + 0.02) < 1e-12)
        #expect(abs(comparison.differenceCi[0] - (-0.02 - 1.644854 * 3.0.squareRoot() / 50)) < 1e-9)
        // small − big: mean −0.10, upper bound −0.030 < −0.02: shown worse.
        #expect(entry("small", in: tight)?.verdict == .inferior)
        #expect(tight.pick?.model == "sim/big", "only the best itself is shown non-inferior at 2 points")

        let loose = try #require(build(ladder, margin: 0.10).section("t"))
        #expect(entry("mid", in: loose)?.verdict == .nonInferior)
        #expect(entry("small", in: loose)?.verdict == .undecided)
        #expect(loose.pick?.model == "sim/mid")
        #expect(loose.pick?.reason.contains("10×") == true)

    }

    /// `copies` of each ladder row's 50 items, as new items with the same scores.
    func ladder(copies: Int) -> [SampleFact] {
        (0..<copies).flatMap { copy in
            ladder.map { fact in
                var fact = fact
                fact.itemKey = "c\(copy)-" + fact.itemKey
                return fact
            }
        }
    }

    @Test("items_to_settle is the catalog's own rule: that many more items at the observed rates settle the verdict")
    func itemsToSettleFollowsTheRule() throws {
        func entry(_ model: String, in section: CatalogDocument.TaskSection) throws -> CatalogDocument.Entry {
            try #require(section.entries.first { $0.model == "sim/\(model)" })
        }
        // At 5 points, mid (one miss in 50, 2 points below big) is undecided on 50 items.
        let middle = try #require(build(ladder, margin: 0.05).section("t"))
        let mid = try entry("mid", in: middle)
        #expect(mid.verdict == .undecided)
        let more = try #require(mid.comparison?.itemsToSettle)
        #expect(more > 0 && more < 50 * 63, "\(more)")
        // The same rates on at least 50 + more items: the verdict settles, and it settles non-inferior.
        let copies = (50 + more + 49) / 50
        let grown = try #require(build(ladder(copies: copies), margin: 0.05).section("t"))
        #expect(grown.items == 50 * copies)
        #expect(try entry("mid", in: grown).verdict == .nonInferior, "\(copies) copies")
        #expect(try entry("mid", in: grown).comparison?.itemsToSettle == nil, "a settled verdict needs no more items")

        // Two entries that agree on all 30 items: the dearer is undecided (P ≈ 0.6–0.8) until enough
        // agreeing items certify a 2-point margin; a third of the estimate does not, the estimate does.
        func tie(_ n: Int) -> [SampleFact] {
            facts("cheap", "low", scores: Array(repeating: 1, count: n), cost: 10)
                + facts("dear", "high", scores: Array(repeating: 1, count: n), cost: 1_000)
        }
        let small = try #require(build(tie(30)).section("t"))
        let dear = try entry("dear", in: small)
        #expect(dear.verdict == .undecided)
        let needed = try #require(dear.comparison?.itemsToSettle)
        #expect(try entry("dear", in: try #require(build(tie(30 + needed)).section("t"))).verdict == .nonInferior, "\(needed)")
        #expect(try entry("dear", in: try #require(build(tie(30 + needed / 3)).section("t"))).verdict == .undecided, "\(needed)")

        // On the margin itself (mid at 2 points) no number of items like these settles it.
        let onMargin = try #require(build(ladder, margin: 0.02).section("t"))
        #expect(try entry("mid", in: onMargin).verdict == .undecided)
        #expect(try entry("mid", in: onMargin).comparison?.itemsToSettle == nil)
    }

    @Test("objectives and constraints of catalog best")
    func objectives() throws {
        let document = build(ladder, margin: 0.02)
        #expect(try CatalogQuery.best(in: document, task: "t").model == "sim/big")
        #expect(try CatalogQuery.best(in: document, task: "t", constraints: .init(minQuality: 0.9)).model == "sim/small")
        #expect(try CatalogQuery.best(in: document, task: "t", constraints: .init(minQuality: 0.95)).model == "sim/mid")
        #expect(try CatalogQuery.best(in: document, task: "t", objective: .best, constraints: .init(maxCostNusd: 100)).model == "sim/mid")
        // quality − λ × dollars: big 1 − 0.1, mid 0.98 − 0.01, small 0.9 − 0.001 at λ = 100,000.
        #expect(try CatalogQuery.best(in: document, task: "t", objective: .utility(lambda: 100_000)).model == "sim/mid")
        #expect(try CatalogQuery.best(in: document, task: "t", objective: .utility(lambda: 0)).model == "sim/big")
        #expect(throws: AssayError.self) {
            try CatalogQuery.best(in: document, task: "t", constraints: .init(minQuality: 0.99, maxCostNusd: 100))
        }
    }

    @Test("the frontier keeps what no cheaper entry matches; effort curves find where quality stops rising")
    func frontierAndCurves() throws {
        let extra = facts("pricey", "low", scores: Array(repeating: 1.0, count: 45) + Array(repeating: 0, count: 5), cost: 5_000)
        let section = try #require(build(ladder + extra).section("t"))
        #expect(section.frontier.map(\.model) == ["sim/small", "sim/mid", "sim/big"])

        let curve = facts("m", "low", scores: Array(repeating: 1, count: 30) + Array(repeating: 0, count: 20), cost: 1)
            + facts("m", "medium", scores: Array(repeating: 1, count: 45) + Array(repeating: 0, count: 5), cost: 2)
            + facts("m", "high", scores: Array(repeating: 1, count: 46) + Array(repeating: 0, count: 4), cost: 4)
        let curves = try #require(build(curve).section("t")?.effortCurves)
        #expect(curves.count == 1)
        #expect(curves[0].points.map(\.effort) == ["low", "medium", "high"])
        #expect(curves[0].saturationEffort == "medium")
    }

    @Test("cost intervals: per task by the normal interval, per solved by the delta method")
    func costIntervals() throws {
        let mixed = (0..<20).map { index in
            SampleFact(provider: "sim", model: "m", effort: "low", task: "t", suite: "s", itemKey: "i\(index)",
                       score: index % 2 == 0 ? 1 : 0, costNusd: index % 2 == 0 ? 100 : 300)
        }
        let entry = try #require(build(mixed).section("t")?.entries.first)
        #expect(entry.costPerTaskNusd == 200)
        let taskCI = try #require(entry.costPerTaskCiNusd)
        #expect(taskCI[0] < 200 && taskCI[1] > 200)
        #expect(entry.costPerSolvedNusd == 400)
        let solvedCI = try #require(entry.costPerSolvedCiNusd)
        #expect(solvedCI[0] < 400 && solvedCI[1] > 400)
    }

    @Test("staleness: age, changed prices and samples from an older suite version are flagged")
    func staleness() throws {
        var old = facts("m", "low", scores: [1, 0], cost: 5)
        for index in old.indices { old[index].suiteSha256 = "v1"; old[index].inputTokens = 1_000 }
        var current = facts("n", "low", scores: [1, 1], cost: 5)
        for index in current.indices { current[index].suiteSha256 = "v2" }
        let prices = [ModelRef(provider: "sim", model: "m"): PriceSheet(dollarsPerMTok: [.input: "1"])!]
        let later = Date(timeIntervalSince1970: 1_795_000_000 + 3 * 86_400)
        let document = CatalogBuilder(margin: 0.02, prices: prices, now: later, currentSuites: ["v2"]).build(facts: old + current)
        let section = try #require(document.section("t"))
        let stale = try #require(section.entries.first { $0.model == "sim/m" })
        #expect(stale.staleSuiteVersion && stale.priceChanged)
        #expect(abs(stale.ageDays - 3) < 1e-9)
        let fresh = try #require(section.entries.first { $0.model == "sim/n" })
        #expect(!fresh.staleSuiteVersion && !fresh.priceChanged)
    }

    @Test("diff reports moved entries, new picks and price-only changes")
    func diff() throws {
        let before = build(ladder, margin: 0.10)
        var samples = ladder + facts("new", "low", scores: [1], cost: 1)
        samples = samples.map { var f = $0; if f.model == "mid" { f.score = 0 }; return f }
        let after = CatalogBuilder(margin: 0.10, prices: [ModelRef(provider: "sim", model: "small"): PriceSheet(dollarsPerMTok: [.input: "1"])!],
                                   now: Date(timeIntervalSince1970: 1_795_000_000)).build(facts: samples)
        let kinds = CatalogDiff(old: before, new: after).changes.map { "\($0.kind) \($0.entry)" }
        #expect(kinds.contains("added sim/new@low"))
        #expect(kinds.contains("moved sim/mid@low"))
        #expect(kinds.contains { $0.hasPrefix("pick") })
        #expect(kinds.contains("price sim/small@none"))
        #expect(CatalogDiff(old: before, new: before).changes.isEmpty)
    }

    @Test("ties on quality go to the cheaper entry; identical entries are undecided, not equal, on few items")
    func ties() throws {
        let same = Array(repeating: 1.0, count: 10)
        let document = build(facts("a", "low", scores: same, cost: 50) + facts("b", "low", scores: same, cost: 20)
                             + facts("c", "low", scores: Array(repeating: 1.0, count: 9) + [0.9], cost: 20))
        let section = try #require(document.section("t"))
        #expect(section.best?.model == "sim/b")
        #expect(section.pick?.model == "sim/b")
        #expect(section.entries.first { $0.model == "sim/a" }?.verdict == .undecided)
    }

    @Test("one item: a CI, but no verdict other than undecided")
    func oneItem() throws {
        let section = try #require(build(facts("a", "low", scores: [1], cost: 5) + facts("b", "low", scores: [1], cost: 9)).section("t"))
        let b = try #require(section.entries.first { $0.model == "sim/b" })
        #expect(b.verdict == .undecided && b.qualityCi?[0] ?? 1 < 0.3)
    }

    @Test("an entry whose samples all failed has no quality and is never picked")
    func errorsOnly() throws {
        let document = build(facts("broken", "high", scores: [0, 0, 0], cost: 0, status: .error)
                             + facts("ok", "low", scores: [1, 0, 1], cost: 500), minQuality: 0)
        let section = try #require(document.section("t"))
        let broken = try #require(section.entries.first { $0.model == "sim/broken" })
        #expect(broken.quality == nil && broken.errors == 3 && broken.errorRate == 1 && broken.n == 0)
        #expect(section.pick?.model == "sim/ok")
    }

    @Test("a task where every entry failed has no pick, and best says why")
    func noMeasuredEntry() {
        let document = build(facts("broken", "high", scores: [0], cost: 0, status: .error))
        #expect(document.section("t")?.pick == nil)
        #expect(throws: AssayError.self) { try CatalogQuery.best(in: document, task: "t") }
    }

    @Test("all wrong has no pick: nothing clears the quality floor, and best says so with exit 65")
    func allWrong() throws {
        let document = build(facts("a", "low", scores: [0, 0], cost: 5) + facts("b", "low", scores: [0, 0], cost: 9))
        let section = try #require(document.section("t"))
        #expect(section.best?.model == "sim/a")
        #expect(section.pick == nil)
        #expect(section.noPickReason?.contains("quality floor of 30.0%") == true)
        #expect(section.entries.first { $0.model == "sim/a" }?.costPerSolvedNusd == nil)
        do {
            _ = try CatalogQuery.best(in: document, task: "t")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.exitCode == 65)
            #expect(error.message.contains("has no pick"))
        }
        // Every objective keeps the floor.
        #expect(throws: AssayError.self) { try CatalogQuery.best(in: document, task: "t", objective: .best) }
    }

    @Test("the floor needs the interval's lower bound, not the point estimate, to reach it")
    func floorUsesLowerBound() throws {
        // 4 of 10 correct: quality 40% but the 95% interval starts at 16.8%; 40 of 100 clears 30%.
        let few = build(facts("a", "low", scores: Array(repeating: 1, count: 4) + Array(repeating: 0, count: 6), cost: 5))
        #expect(few.section("t")?.pick == nil)
        let many = build(facts("a", "low", scores: Array(repeating: 1, count: 40) + Array(repeating: 0, count: 60), cost: 5))
        #expect(many.section("t")?.pick?.model == "sim/a")
        let lowered = build(facts("a", "low", scores: Array(repeating: 1, count: 4) + Array(repeating: 0, count: 6), cost: 5),
                            minQuality: 0.1)
        #expect(lowered.section("t")?.pick?.model == "sim/a")
        #expect(lowered.minQuality == 0.1)
    }

    @Test("small samples: identical entries are not certified, the pick says so and takes the stated rule; more items certify")
    func posteriorRule() throws {
        // cheap and dear agree on every item: 30 items cannot certify a 2-point margin.
        let thirty = Array(repeating: 1.0, count: 27) + [0, 0, 0]
        let small = try #require(build(facts("cheap", "low", scores: thirty, cost: 10)
                                       + facts("dear", "high", scores: thirty, cost: 1_000)).section("t"))
        let cheap = try #require(small.entries.first { $0.model == "sim/cheap" })
        let p = try #require(cheap.probabilityWithinMargin)
        #expect(p > 0.5 && p < 0.95, "P = \(p)")
        #expect(cheap.verdict == .undecided || cheap.verdict == .best)
        let pick = try #require(small.pick)
        #expect(pick.certified == false)
        #expect(pick.reason.contains("none is shown non-inferior at 95% on 30 items"))
        #expect(pick.model == "sim/cheap", "tied probabilities go to the cheaper entry")
        let answer = try CatalogQuery.best(in: build(facts("cheap", "low", scores: thirty, cost: 10)
                                                     + facts("dear", "high", scores: thirty, cost: 1_000)), task: "t")
        #expect(answer.certified == false && answer.decisionRule == "most-probably-within-margin")
        #expect(answer.probabilityWithinMargin == p)

        // 300 items in agreement certify it.
        let many = Array(repeating: 1.0, count: 270) + Array(repeating: 0.0, count: 30)
        let large = try #require(build(facts("cheap", "low", scores: many, cost: 10)
                                       + facts("dear", "high", scores: many, cost: 1_000)).section("t"))
        #expect((large.entries.first { $0.model == "sim/cheap" }?.probabilityWithinMargin ?? 0) >= 0.95)
        #expect(large.pick?.model == "sim/cheap" && large.pick?.certified == true)

        // A cheaper entry 10 points worse on 30 items is not picked, and is shown inferior.
        let worse = Array(repeating: 1.0, count: 24) + Array(repeating: 0.0, count: 6)
        let separated = try #require(build(facts("cheap", "low", scores: worse, cost: 10)
                                           + facts("dear", "high", scores: thirty, cost: 1_000)).section("t"))
        #expect(separated.pick?.model == "sim/dear")
        #expect((separated.entries.first { $0.model == "sim/cheap" }?.probabilityWithinMargin ?? 1) < 0.2)
    }

    @Test("the posterior is deterministic and counts the best's uncertainty: a lone entry is surely within its own margin")
    func posteriorBasics() {
        let scores: [[Int64: Double]] = [[1: 1, 2: 0, 3: 1], [1: 1, 2: 1, 3: 0]]
        let first = WithinMarginPosterior.probabilities(scores: scores, clusters: [:], margin: 0.02, seed: "t")
        #expect(first == WithinMarginPosterior.probabilities(scores: scores, clusters: [:], margin: 0.02, seed: "t"))
        // Two entries with the same mean: each is the top in about half the draws, never both surely within.
        #expect(first.allSatisfy { ($0 ?? 0) > 0.3 && ($0 ?? 1) < 0.8 })
        #expect(WithinMarginPosterior.probabilities(scores: [[1: 0]], clusters: [:], margin: 0.02, seed: "t") == [1])
        #expect(WithinMarginPosterior.probabilities(scores: [[:]], clusters: [:], margin: 0.02, seed: "t") == [nil])
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
        #expect(json.contains("\"schema_version\":3"))
        #expect(json.contains("\"cost_per_task_nusd\":5"))
        #expect(json.hasSuffix("}\n") && json.filter { $0 == "\n" }.count == 1, "compact: one line")
    }

    @Test("a model without a price is not picked over priced ones, and is flagged")
    func unpriced() throws {
        let ten = Array(repeating: 1.0, count: 10)
        let document = build(facts("free", "low", scores: ten, cost: 0) + facts("paid", "low", scores: ten, cost: 40), margin: 0.5)
        let section = try #require(document.section("t"))
        #expect(section.pick?.model == "sim/paid")
        #expect(section.entries.first { $0.model == "sim/free" }?.priced == false)
        let alone = build(facts("free", "low", scores: [1], cost: 0), minQuality: 0)
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

    @Test("verdicts encode as the schema's strings", arguments: [
        (Verdict.best, "best"), (.nonInferior, "non-inferior"), (.inferior, "inferior"), (.undecided, "undecided"),
    ])
    func verdictText(verdict: Verdict, text: String) throws {
        #expect(String(decoding: try JSONEncoder().encode(verdict), as: UTF8.self) == "\"\(text)\"")
        #expect(try JSONDecoder().decode(Verdict.self, from: Data("\"\(text)\"".utf8)) == verdict)
        #expect(verdict.description == text)
    }
}
