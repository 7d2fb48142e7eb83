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

struct StubJudge: JudgeModel {
    var identity: String
    var reply: String
    func verdict(system: String, prompt: String) async throws -> String { reply }
}

@Suite("Judge runs and regrade", .serialized)
struct RegradeTests {
    @Test("an unparseable verdict is an error sample (answer kept); regrade with another judge grades it without asking the model again")
    func regradeWithAnotherJudge() async throws {
        let zoo = try Zoo.builtIn()
        let suites = try Fixtures.shippedSuites().filter { $0.task == "writing" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        try await Fixtures.withLiveSimulator(suites: suites) { port in
            let config = try PipelineTests.config(port: port, database: path, zoo: zoo, models: ["pebble-1"])
            let database = try AssayDatabase(path: path)
            let broken = Grading(judge: StubJudge(identity: "test/rambler", reply: "Looks fine to me, maybe an 8?"))
            let summary = try await Fixtures.withClient { client in
                let runner = try Runner(config: config, database: database,
                                        providers: ProviderRegistry(config: config, client: client, logger: Fixtures.quietLogger),
                                        logger: Fixtures.quietLogger, grading: broken)
                return try await runner.run(suites: suites, options: RunOptions())
            }
            let requests = suites[0].items.count * zoo.model("pebble-1")!.efforts.count
            #expect(summary.errors == requests && summary.errorKinds == ["grader": requests])
            let kept = try await database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE response IS NOT NULL AND judge = 'test/rambler' AND judge_verdict LIKE 'Looks fine%'")
            }
            #expect(kept == requests)
            let spentBefore = try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(cost_nusd) FROM sample") }

            let good = Grading(judge: StubJudge(identity: "test/strict", reply: "Accurate.\nSCORE: 8/10"))
            let regraded = try await Regrader(database: database, grading: good).regrade(suites: suites)
            #expect(regraded.regraded == requests && regraded.errors == 0)
            let rows = try database.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT status, score, judge, judge_verdict FROM sample")
            }
            #expect(rows.count == requests)
            for row in rows {
                #expect(row["status"] as String == "ok" && row["score"] as Double == 0.8 && row["judge"] as String == "test/strict")
            }
            let spentAfter = try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(cost_nusd) FROM sample") }
            #expect(spentAfter == spentBefore)
        }
    }
}
