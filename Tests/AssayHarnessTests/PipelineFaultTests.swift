import AssayCore
import AssayHarness
import AssayProviders
import AssayStore
import AssaySuites
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// A provider that answers after a short wait, as a real one would, and counts what it is asked.
actor CallLog {
    private(set) var models: [String] = []
    func add(_ model: String) { models.append(model) }
    func count(_ model: String) -> Int { models.filter { $0 == model }.count }
}

struct CountingProvider: ModelProvider {
    let name = "fake"
    let log: CallLog

    func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        await log.add(request.model)
        try? await Task.sleep(for: .milliseconds(5))
        let judge = request.model == "judge"
        return ChatResponse(text: judge ? "Clear and correct.\nSCORE: 5/5" : "yes",
                            usage: judge ? Usage(inputTokens: 500, outputTokens: 50) : Usage(inputTokens: 10, outputTokens: 5),
                            finishReason: "stop", model: request.model, latencyMs: 5, attempts: 1)
    }

    func streamAnswer(_ request: ChatRequest, onDelta: @escaping @Sendable (ChatDelta) async -> Void) async throws(ProviderError) -> ChatResponse {
        try await complete(request)
    }

    func listModels() async throws(ProviderError) -> [String] { [] }
    func listedModels() async throws(ProviderError) -> [ListedModel] { [] }
}

/// Runs that meet a failing database or a tight budget with a judge to pay.
@Suite("Pipeline faults: unwritable database, judge spend", .serialized)
struct PipelineFaultTests {
    static let config = """
        database: unused.sqlite
        providers:
          fake: {type: openai, base_url: "http://127.0.0.1:9/v1"}
        models:
          - id: fake/small
            efforts: [none]
            price: {input: "1.00", output: "2.00"}
          - id: fake/judge
            efforts: [none]
            price: {input: "10.00", output: "20.00"}
        judge: fake/judge
        run: {concurrency: 4, max_tokens: 100}
        """

    static func suite(grader: String, items: Int) throws -> Suite {
        let lines = (0..<items).map { "  - {id: q\($0), prompt: \"Say yes (\($0)).\", answer: \"yes\"}" }
        let sink = DiagnosticSink(file: "fault.yaml")
        let text = "suite: fault\ntask: chat\nversion: 1\ngrader: \(grader)\nitems:\n" + lines.joined(separator: "\n")
        return try #require(SuiteLoader.parse(text, file: "fault.yaml", sink: sink), "\(sink.diagnostics)")
    }

    static func run(_ database: AssayDatabase, log: CallLog, suite: Suite, options: RunOptions) async throws -> RunSummary {
        let config = try ConfigLoader.parse(Self.config, file: "test.yaml")
        let runner = try Runner(config: config, database: database,
                                providers: ProviderRegistry(providers: ["fake": CountingProvider(log: log)]), logger: Fixtures.quietLogger)
        return try await runner.run(suites: [suite], options: options)
    }

    @Test("when samples cannot be written the run stops sending requests at once and fails with the database's error")
    func unwritable() async throws {
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        let database = try AssayDatabase(path: path)
        try await database.writer.write { db in
            try db.execute(sql: """
                CREATE TRIGGER disk_full BEFORE INSERT ON sample WHEN (SELECT COUNT(*) FROM sample) >= 10
                BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END
                """)
        }
        let log = CallLog()
        let error = await #expect(throws: AssayError.self) {
            _ = try await Self.run(database, log: log, suite: try Self.suite(grader: "{type: exact}", items: 200),
                                   options: RunOptions(models: ["fake/small"]))
        }
        #expect(error?.code == .database && error?.exitCode == 74)
        #expect(error?.message.hasPrefix("cannot store samples in \(path): database or disk is full; the run stopped sending requests") == true,
                "\(String(describing: error))")
        let calls = await log.count("small")
        #expect(calls < 30, "\(calls) of 200 requests sent after the database refused writes")
        let (stored, status) = try await database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample") ?? 0, try String.fetchOne(db, sql: "SELECT status FROM run"))
        }
        #expect(stored <= 10 && status == "failed")
    }

    @Test("judge calls reserve against the budget before they are made: a tight budget stops the run, judge spend reported")
    func judgeBudget() async throws {
        let database = try AssayDatabase(path: try Fixtures.temporaryDirectory() + "/assay.sqlite")
        let log = CallLog()
        let budget = Money(dollars: "0.15")!
        let suite = try Self.suite(grader: "{type: judge, scale: 5, rubric: \"Says yes.\"}", items: 20)
        let summary = try await Self.run(database, log: log, suite: suite,
                                         options: RunOptions(models: ["fake/small"], concurrency: 1, budget: budget))
        // A verdict costs 500 × $10 + 50 × $20 per MTok = $0.006, but reserves its ceiling of
        // about $0.09 (4,096 output tokens) first: about ten fit under $0.15, then one is refused unmade.
        let judged = await log.count("judge")
        #expect(summary.stoppedByBudget)
        #expect(judged > 1 && judged < 20 && summary.judgeSpentNanoUSD == Int64(judged) * 6_000_000, "\(judged) verdicts")
        #expect(summary.spentNanoUSD <= budget.nanoUSD)
        let (answers, refused) = try await database.writer.read { db in
            (try Int64.fetchOne(db, sql: "SELECT SUM(cost_nusd) FROM sample") ?? 0,
             try String.fetchOne(db, sql: "SELECT error_message FROM sample WHERE status = 'error'"))
        }
        #expect(answers + summary.judgeSpentNanoUSD == summary.spentNanoUSD, "spend counts answers and verdicts")
        #expect(refused?.contains("the run's budget is reached: this judge call") == true, "\(refused ?? "nil")")
        #expect(await log.count("small") == judged + 1, "the answer whose verdict was refused is kept, then the run stops")
    }
}
