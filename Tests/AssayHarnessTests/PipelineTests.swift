import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssayProviders
import AssaySimulator
import AssayStore
import AssaySuites
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// The whole pipeline on the built-in zoo: runner → SQLite file → catalog, against the live simulator.
@Suite("Pipeline", .serialized)
struct PipelineTests {
    static func config(port: Int, database: String, zoo: Zoo, models: [String]? = nil) throws -> AssayConfig {
        let chosen = zoo.models.filter { models?.contains($0.id) ?? true }
        let text = DemoConfig.text(provider: zoo.provider, port: port,
                                   models: chosen.map { .init(id: $0.id, efforts: $0.efforts.keys.sorted(), price: $0.price) },
                                   database: database, suites: Fixtures.suitesDirectory, catalog: "unused", concurrency: 32,
                                   judge: zoo.models.last?.id)
        return try ConfigLoader.parse(text, file: "test.yaml")
    }

    static func run(_ config: AssayConfig, database: AssayDatabase, suites: [Suite], options: RunOptions = RunOptions()) async throws -> RunSummary {
        try await Fixtures.withClient(connections: 32) { client in
            let runner = try Runner(config: config, database: database,
                                providers: ProviderRegistry(config: config, client: client, logger: Fixtures.quietLogger),
                                logger: Fixtures.quietLogger)
            return try await runner.run(suites: suites, options: options)
        }
    }

    @Test("every sample is stored, a rerun pays for nothing, and each catalog pick is the profile's or, where that is not certified, a certified entry truly within the margin")
    func endToEnd() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites()
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator(suites: suites) { port in
            let config = try Self.config(port: port, database: path, zoo: zoo)
            let database = try AssayDatabase(path: path)
            let expectedRequests = zoo.models.reduce(0) { $0 + $1.efforts.count } * suites.reduce(0) { $0 + $1.items.count }
            let first = try await Self.run(config, database: database, suites: suites)
            #expect(first.planned == expectedRequests)
            #expect(first.completed == expectedRequests && first.errors == 0)
            #expect(try database.sampleCount(status: .ok) == expectedRequests)
            #expect(first.spentNanoUSD > 0)

            let second = try await Self.run(config, database: database, suites: suites)
            #expect(second.planned == 0 && second.alreadyStored == expectedRequests && second.spentNanoUSD == 0)
            #expect(try database.sampleCount() == expectedRequests)

            let spentInDatabase = try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(cost_nusd) FROM sample") }
            #expect((spentInDatabase ?? 0) + first.judgeSpentNanoUSD == first.spentNanoUSD, "answers and verdicts")
            #expect(first.judgeSpentNanoUSD > 0, "the writing suite is judged")

            let document = CatalogBuilder(margin: 0.02, prices: try database.currentPrices()).build(facts: try database.sampleFacts())
            let implied = ExpectedCatalog(zoo: zoo, suites: suites, margin: 0.02)
            // Each measured pick is the profile's pick, or an entry truly within the margin of the
            // profile's best chosen because the profile's pick was not certified on these items (a
            // certified pick is preferred to a cheaper uncertain one).
            var exact = 0
            for task in implied.tasks {
                let answer = try CatalogQuery.best(in: document, task: task.task)
                let pick = try #require(task.pick)
                let truth = Dictionary(uniqueKeysWithValues: task.entries.map { ("\($0.model)@\($0.effort)", $0.expectedQuality) })
                let top: Double? = truth.values.max()
                let bestTruth = try #require(top)
                let picked = "\(answer.model)@\(answer.effort)"
                #expect(try #require(truth[picked]) >= bestTruth - 0.02 - 1e-12, "task \(task.task): \(picked) is not truly within the margin")
                if picked == "\(pick.model)@\(pick.effort)" {
                    exact += 1
                } else {
                    let measured = document.section(task.task)?.entries.first { $0.model == pick.model && $0.effort == pick.effort }
                    #expect(measured?.verdict == .undecided, "task \(task.task): the profile's pick \(pick.model)@\(pick.effort) was \(String(describing: measured?.verdict)), yet \(picked) was picked")
                    #expect(answer.certified == true, "task \(task.task): \(picked) passed over the profile's pick without being certified")
                }
            }
            #expect(exact >= implied.tasks.count - 1, "\(exact) of \(implied.tasks.count) picks are the profile's")
        }
    }

    @Test("filters select suites, models and efforts; samples record tokens, cost and latency")
    func filtersAndSampleFields() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites()
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator(suites: suites) { port in
            let config = try Self.config(port: port, database: path, zoo: zoo)
            let database = try AssayDatabase(path: path)
            let summary = try await Self.run(config, database: database, suites: suites,
                                             options: RunOptions(suites: ["math"], models: ["sim/finch"], efforts: [.high], epochs: 2))
            let mathItems = try #require(suites.first { $0.task == "math" }).items.count
            #expect(summary.completed == mathItems * 2)
            let samples = try await database.writer.read { db in try SampleRecord.fetchAll(db) }
            #expect(samples.allSatisfy { $0.reasoningTokens > 0 && $0.costNusd > 0 && ($0.latencyMs ?? 0) > 0 && $0.grader == "numeric" })
            #expect(Set(samples.map(\.epoch)) == [0, 1])
            let price = zoo.model("finch")!.price
            #expect(samples.allSatisfy { price.cost(of: $0.usage).nanoUSD == $0.costNusd })
        }
    }

    @Test("an unknown suite or model in the filters is a clear error before anything is sent")
    func badFilters() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites()
        let database = try AssayDatabase.inMemory()
        let config = try Self.config(port: 9, database: "unused.sqlite", zoo: zoo)
        await #expect(throws: AssayError.self) { try await Self.run(config, database: database, suites: suites, options: RunOptions(suites: ["poetry"])) }
        await #expect(throws: AssayError.self) { try await Self.run(config, database: database, suites: suites, options: RunOptions(models: ["sim/gpt-9"])) }
    }

    @Test("an unreachable provider yields error samples with their kind, and a later run fills them in")
    func unreachableThenRecovered() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites().filter { $0.task == "classification" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        let database = try AssayDatabase(path: path)
        let options = RunOptions(models: ["sim/pebble-1"], efforts: [.none])
        var dead = try Self.config(port: 1, database: path, zoo: zoo)
        dead.providers["sim"]?.retry = RetryPolicy(maxAttempts: 1)
        let failed = try await Self.run(dead, database: database, suites: suites, options: options)
        #expect(failed.errors == suites[0].items.count)
        #expect(failed.errorKinds == ["unreachable": suites[0].items.count])
        #expect(try database.sampleCount(status: .error) == suites[0].items.count)
        try await Fixtures.withLiveSimulator { port in
            let live = try Self.config(port: port, database: path, zoo: zoo)
            let recovered = try await Self.run(live, database: database, suites: suites, options: options)
            #expect(recovered.planned == suites[0].items.count && recovered.errors == 0)
        }
        #expect(try database.sampleCount(status: .error) == 0)
        #expect(try database.sampleCount(status: .ok) == suites[0].items.count)
    }

    @Test("a provider of type anthropic runs a suite end to end through the Messages API")
    func anthropicProvider() async throws {
        let suites = try Fixtures.shippedSuites().filter { $0.task == "classification" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator { port in
            let config = try ConfigLoader.parse("""
                providers:
                  claude: {type: anthropic, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: claude/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                """, file: "anthropic.yaml")
            let database = try AssayDatabase(path: path)
            let summary = try await Self.run(config, database: database, suites: suites)
            #expect(summary.completed == suites[0].items.count && summary.errors == 0)
            let samples = try await database.writer.read { db in try SampleRecord.fetchAll(db) }
            #expect(samples.allSatisfy { $0.reasoningTokens > 0 && $0.inputTokens > 0 && $0.costNusd > 0 })
            #expect(samples.filter { $0.passed == true }.count >= suites[0].items.count - 2)
        }
    }

    @Test("streaming providers in all three formats store a time to first token; efforts a model cannot take are skipped with a note, never sent")
    func streamingAndSkippedEfforts() async throws {
        let suites = try Fixtures.shippedSuites().filter { $0.task == "classification" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 20) { port in
            let config = try ConfigLoader.parse("""
                providers:
                  oa: {type: openai, base_url: "http://127.0.0.1:\(port)/v1", stream: true, concurrency: 4, rpm: 100000}
                  claude: {type: anthropic, base_url: "http://127.0.0.1:\(port)/v1", stream: true, effort_param: output_config}
                  gem: {type: gemini, base_url: "http://127.0.0.1:\(port)/v1beta", stream: true, effort_param: thinking_level}
                models:
                  - {id: oa/pebble-1, efforts: [none, high], supported_efforts: [none], price: {input: "0.02", output: "0.08"}}
                  - {id: claude/finch, efforts: [none, medium], price: {input: "0.50", output: "2"}}
                  - {id: gem/heron-flash, efforts: [low, xhigh], price: {input: "0.30", output: "1.20"}}
                """, file: "streaming.yaml")
            let database = try AssayDatabase(path: path)
            let summary = try await Self.run(config, database: database, suites: suites)
            let skipped = Set(summary.skipped.map { "\($0.model)@\($0.effort)" })
            #expect(skipped == ["oa/pebble-1@high", "claude/finch@none", "gem/heron-flash@xhigh"])
            #expect(summary.skipped.allSatisfy { !$0.reason.isEmpty })
            #expect(summary.errors == 0 && summary.completed == 3 * suites[0].items.count, "no request for a skipped effort")
            let samples = try await database.writer.read { db in try SampleRecord.fetchAll(db) }
            #expect(samples.allSatisfy { ($0.ttftMs ?? -1) >= 0 && $0.ttftMs! <= $0.latencyMs! }, "every streamed sample has a ttft")
            #expect(samples.filter { $0.reasoningTokens > 0 }.count > 0)
        }
    }

    @Test("a 429 storm: the first 20 requests are refused, yet every sample is stored once, none lost")
    func rateLimitStorm() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites().filter { $0.task == "classification" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        // 20 refusals in all, so 21 attempts always suffice, however the retries interleave.
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .rateLimit(retryAfter: 0.01), first: 20)]) { port in
            var config = try Self.config(port: port, database: path, zoo: zoo)
            config.providers["sim"]?.retry = RetryPolicy(maxAttempts: 21, baseDelay: 0.01)
            let database = try AssayDatabase(path: path)
            let summary = try await Self.run(config, database: database, suites: suites,
                                             options: RunOptions(models: ["sim/finch"], efforts: [.low], concurrency: 8))
            #expect(summary.errors == 0 && summary.completed == suites[0].items.count, "\(summary.errorKinds)")
            #expect(try database.sampleCount(status: .ok) == suites[0].items.count)
        }
    }

    @Test("a budget is a hard ceiling: a request is sent only if its cost ceiling still fits")
    func budget() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites()
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator(suites: suites) { port in
            let config = try Self.config(port: port, database: path, zoo: zoo)
            let database = try AssayDatabase(path: path)
            let budget = Money(dollars: "0.60")!
            let summary = try await Self.run(config, database: database, suites: suites,
                                             options: RunOptions(models: ["sim/finch"], efforts: [.high], concurrency: 4, budget: budget))
            #expect(summary.stoppedByBudget)
            #expect(summary.completed > 1 && summary.completed < summary.planned, "\(summary.completed) of \(summary.planned)")
            #expect(summary.spentNanoUSD <= budget.nanoUSD, "never over, whatever the concurrency")
            let stored = try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(cost_nusd) FROM sample") } ?? 0
            #expect(stored + summary.judgeSpentNanoUSD == summary.spentNanoUSD)
        }
    }
}
