import AssayCatalog
import AssayCatalogFormat
import AssayCore
@testable import AssayHarness
import AssayProviders
import AssaySimulator
import AssayStore
import AssaySuites
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay regrade --judge-check` (issue 17): the judge's verdict on stored answers of a suite
/// graded otherwise, stored beside each sample with its cost, read back by the cascade replay.
@Suite("Judge check verdicts", .serialized)
struct JudgeCheckTests {
    /// The simulator's judge, priced as the zoo's cheapest model.
    static let judge = ModelRef(provider: "sim", model: "pebble-1")

    @Test("every stored answer gets a verdict and its cost; a second pass asks nothing again; the cascade replay reads them as its judge check")
    func checksAndReplays() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites().filter { $0.task == "classification" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator(suites: suites) { port in
            let config = try PipelineTests.config(port: port, database: path, zoo: zoo, models: ["pebble-1", "heron-flash"])
            let database = try AssayDatabase(path: path)
            _ = try await PipelineTests.run(config, database: database, suites: suites)
            let answers = try database.storedAnswers(suiteSHA256s: suites.map(\.contentSHA256)).count
            try #require(answers > 0)

            let first = try await Self.check(config, database, suites)
            #expect(first.checked == answers && first.errors == 0 && first.alreadyChecked == 0 && first.judge == "sim/pebble-1")
            let rows = try database.writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT check_verdict.score AS verdict, check_verdict.cost_nusd, check_verdict.input_tokens, check_verdict.output_tokens,
                           sample.score, sample.grader, sample.judge FROM check_verdict JOIN sample ON sample.id = check_verdict.sample_id
                    """)
            }
            #expect(rows.count == answers)
            let price = try #require(zoo.model("pebble-1")?.price)
            var agree = 0
            for row in rows {
                let verdict: Double = row["verdict"], grade: Double = row["score"]
                #expect([0.9, 0.2].contains(verdict))
                if (verdict >= 0.5) == (grade >= 0.5) { agree += 1 }
                let usage = Usage(inputTokens: row["input_tokens"], outputTokens: row["output_tokens"])
                #expect(usage.inputTokens > 0 && row["cost_nusd"] as Int64 == price.cost(of: usage).nanoUSD)
                #expect(row["grader"] as String == "exact" && (row["judge"] as String?) == nil, "the sample's own grade is left as it was")
            }
            // The simulated judge slips on about 8% of answers: most verdicts agree with the grade, not all need to.
            #expect(Double(agree) / Double(rows.count) >= 0.8, "\(agree) of \(rows.count)")
            #expect(first.costNusd == rows.map { $0["cost_nusd"] as Int64 }.reduce(0, +))

            let again = try await Self.check(config, database, suites)
            #expect(again.checked == 0 && again.alreadyChecked == answers && again.costNusd == 0, "a stored verdict is never paid for twice")

            let facts = try database.answerFacts(suiteSHA256s: Set(suites.map(\.contentSHA256)))
            #expect(!facts.isEmpty && facts.allSatisfy { $0.check?.judge == "sim/pebble-1" && $0.judgeScore == nil })
            let replayed = HoldOut.answers(facts: facts, prices: [Self.judge: price])
            let fact = try #require(facts.first)
            let answer = try #require(replayed[ItemRef(suite: fact.suite, item: fact.itemKey)]?[fact.entry])
            #expect(answer.judgeScore == fact.check?.score)
            #expect(answer.judgeCostNusd == Double(price.cost(of: fact.check!.usage).nanoUSD))
            #expect(HoldOut.answers(facts: facts, prices: [:]).values.flatMap(\.values).allSatisfy { $0.judgeCostNusd == nil },
                    "no price for the judge: the check's cost is unknown, so the replay leaves the judge check out")
        }
    }

    @Test("a verdict without 'SCORE: n/10' (model output is untrusted) or a failed call is an error, never a score",
          arguments: ["Looks right to me.", "SCORE: 12/10", "SCORE: 9/10\nmore"])
    func badVerdicts(reply: String) async throws {
        let item = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" }?.items.first)
        let answer = AssayDatabase.StoredAnswer(sampleID: 7, suiteSHA256: "x", itemKey: item.id, response: "billing")
        let judge = ProviderJudge(model: Self.judge, provider: ReplyingProvider(reply: reply))
        let price = PriceSheet([.input: 1_000_000_000, .output: 2_000_000_000])
        let verdict = await JudgeChecker.verdict(judge, on: answer, item: item, price: price)
        #expect(verdict.score == nil && verdict.errorMessage?.contains("SCORE: n/10") == true)
        #expect(verdict.cost == Money(nanoUSD: 20_000) && verdict.verdict == reply, "the call was made: it is paid for and kept")
        let failing = ProviderJudge(model: Self.judge, provider: ReplyingProvider(reply: nil))
        let failed = await JudgeChecker.verdict(failing, on: answer, item: item, price: nil)
        #expect(failed.score == nil && failed.errorMessage?.contains("failed") == true && failed.cost == nil)
    }

    @Test("the check prompt is the judge prompt shape with the check rubric and no points (they would give the answer away)")
    func prompt() throws {
        let item = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" }?.items.first)
        let text = JudgeGrader.checkPrompt(item: item, response: "billing")
        #expect(text == JudgePrompt.text(rubric: JudgePrompt.checkRubric, points: nil, task: item.renderedPrompt, response: "billing", scale: 10))
        #expect(!text.contains(JudgePrompt.pointsMarker))
    }

    static func check(_ config: AssayConfig, _ database: AssayDatabase, _ suites: [Suite]) async throws -> JudgeChecker.Summary {
        try await Fixtures.withClient { client in
            let registry = ProviderRegistry(config: config, client: client, logger: Fixtures.quietLogger)
            return try await JudgeChecker.run(config: config, database: database, providers: registry, judge: Self.judge, suites: suites, limit: nil)
        }
    }
}

/// A provider whose every answer is `reply` (10 tokens in, 5 out), or fails when it is nil.
struct ReplyingProvider: ModelProvider {
    let name = "sim"
    let reply: String?

    func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        guard let reply else { throw ProviderError(.server, "down") }
        return ChatResponse(text: reply, usage: Usage(inputTokens: 10, outputTokens: 5), finishReason: "stop", model: request.model, latencyMs: 1, attempts: 1)
    }

    func listModels() async throws(ProviderError) -> [String] { [] }
    func listedModels() async throws(ProviderError) -> [ListedModel] { [] }
}
