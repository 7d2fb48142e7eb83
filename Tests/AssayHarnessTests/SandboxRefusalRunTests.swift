import AssayCore
import AssayHarness
import AssayProviders
import AssaySimulator
import AssayStore
import AssaySuites
import AssayTestSupport
import GRDB
import Testing

/// `assay run` and `assay regrade` on a machine where the sandbox cannot isolate answers: they
/// stop before the first request (no run row, nothing paid), unless the operator opted in.
@Suite("runs refuse python-tests without isolation")
struct SandboxRefusalRunTests {
    let unisolated = Grading(sandbox: PythonSandbox(environment: SandboxEnvironment(python: "/usr/bin/python3", isolation: .none)))

    @Test("a run with a python-tests suite throws the refusal and stores no run")
    func runRefuses() async throws {
        let suites = try Fixtures.shippedSuites().filter { $0.task == "coding" }
        let path = try Fixtures.temporaryDirectory() + "/assay.sqlite"
        let config = try PipelineTests.config(port: 9, database: path, zoo: try Zoo.builtIn(), models: ["pebble-1"])
        let database = try AssayDatabase(path: path)
        let error = await #expect(throws: AssayError.self) {
            try await Fixtures.withClient { client in
                let runner = try Runner(config: config, database: database,
                                        providers: ProviderRegistry(config: config, client: client, logger: Fixtures.quietLogger),
                                        logger: Fixtures.quietLogger, grading: unisolated)
                _ = try await runner.run(suites: suites, options: RunOptions())
            }
        }
        #expect(error?.code == .config)
        #expect(error?.message.hasPrefix("python-tests will not run model-written code without kernel isolation") == true)
        #expect(try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") } == 0)
        await #expect(throws: AssayError.self) { _ = try await Regrader(database: database, grading: unisolated).regrade(suites: suites) }
    }

    @Test("--allow-unsandboxed-code reaches the sandbox the run grades with")
    func optIn() throws {
        var config = AssayConfig()
        config.allowUnsandboxedCode = true
        #expect(try Grading(config: config, providers: ProviderRegistry(providers: [:])).sandbox.allowUnsandboxed)
        #expect(try !Grading(config: AssayConfig(), providers: ProviderRegistry(providers: [:])).sandbox.allowUnsandboxed)
    }
}
