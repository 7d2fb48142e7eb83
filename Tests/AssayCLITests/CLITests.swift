import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// The `assay` binary, started as a subprocess the way users start it.
@Suite("assay command line", .serialized)
struct CLITests {
    @Test("--help lists every command with a summary")
    func help() async throws {
        let result = try await AssayProcess.runDetached(["--help"])
        #expect(result.status == 0)
        for command in ["init", "demo", "simulate", "suites", "run", "catalog"] {
            #expect(result.stdout.contains("  \(command) "), "\(command) missing from --help")
        }
        let catalog = try await AssayProcess.runDetached(["catalog", "--help"])
        for command in ["build", "best", "show", "tasks"] { #expect(catalog.stdout.contains("  \(command) ")) }
    }

    @Test("demo runs the zoo end to end; catalog best answers per task in JSON; an unknown task exits 66")
    func demoThenQueries() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let demo = try await AssayProcess.runDetached(["demo", "--suites", Fixtures.suitesDirectory], in: directory)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("best pick per task"))
        #expect(FileManager.default.fileExists(atPath: directory + "/results/assay.sqlite"))
        #expect(FileManager.default.fileExists(atPath: directory + "/catalog/CATALOG.md"))

        let expected = try await AssayProcess.runDetached(["simulate", "--expected", "--json", "--suites", Fixtures.suitesDirectory])
        let implied = try #require(JSONValue(parsing: expected.stdout)?.arrayValue)
        #expect(implied.count >= 4)
        for task in implied {
            let name = try #require(task.objectValue?["task"]?.stringValue)
            let pick = try #require(task.objectValue?["pick"]?.objectValue)
            let best = try await AssayProcess.runDetached(["catalog", "best", "--task", name, "--json"], in: directory)
            #expect(best.status == 0, "\(best.stderr)")
            let answer = try #require(JSONValue(parsing: best.stdout)?.objectValue)
            // The profile's pick, or (when that one is not certified on these items) a certified
            // entry truly within the margin of the profile's best.
            if answer["model"] != pick["model"] || answer["effort"] != pick["effort"] {
                let entries = try #require(task.objectValue?["entries"]?.arrayValue).compactMap(\.objectValue)
                let truth = try #require(entries.first { $0["model"] == answer["model"] && $0["effort"] == answer["effort"] }?["expected_quality"]?.numberValue)
                let qualities = entries.compactMap { $0["expected_quality"]?.numberValue }
                let top: Double? = qualities.max()
                let bestTruth = try #require(top)
                #expect(truth >= bestTruth - 0.02 - 1e-12 && answer["certified"] == .bool(true), "task \(name): \(answer)")
            }
            #expect(answer["cost_per_task_nusd"]?.numberValue ?? 0 > 0)
            #expect(answer["reason"]?.stringValue?.isEmpty == false)
        }

        let unknown = try await AssayProcess.runDetached(["catalog", "best", "--task", "poetry"], in: directory)
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("unknown task 'poetry'") && unknown.stderr.contains("known tasks: classification"))

        // The same samples give the same content hash in every process (no hash-seed-dependent sums).
        var hashes: [JSONValue?] = []
        for _ in 0..<2 {
            hashes.append(JSONValue(parsing: try await AssayProcess.runDetached(["catalog", "build", "--json"], in: directory).stdout)?.objectValue?["sha256"])
        }
        #expect(hashes[0] != nil && hashes[0] == hashes[1])
        for file in ["catalog.json", "catalog.schema.json", "CATALOG.md", "index.html"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/catalog/" + file), "\(file)")
        }

        let frontier = try await AssayProcess.runDetached(["catalog", "frontier", "--task", "math", "--json"], in: directory)
        let frontierJSON = try #require(JSONValue(parsing: frontier.stdout)?.objectValue)
        let last = try #require(frontierJSON["frontier"]?.arrayValue?.last?.objectValue)
        #expect(last["model"] == .string("sim/finch") && last["effort"] == .string("medium"), "the frontier ends at math's best")
        #expect((frontierJSON["effort_curves"]?.arrayValue?.count ?? 0) >= 6)
        let same = try await AssayProcess.runDetached(["catalog", "diff", "catalog/catalog.json", "catalog/catalog.json"], in: directory)
        #expect(same.status == 0 && same.stdout.contains("no differences"))
        let constrained = try await AssayProcess.runDetached(["catalog", "best", "--task", "math", "--min-quality", "0.5", "--json"], in: directory)
        #expect(JSONValue(parsing: constrained.stdout)?.objectValue?["model"] == .string("sim/pebble-1"))
        let impossible = try await AssayProcess.runDetached(["catalog", "best", "--task", "math", "--min-quality", "0.99", "--max-cost", "0.000001"], in: directory)
        #expect(impossible.status == 66 && impossible.stderr.contains("meets the constraints"))

        let efforts = try #require(JSONValue(parsing: try await AssayProcess.runDetached(["models", "efforts", "--json"], in: directory).stdout)?.objectValue)
        #expect((efforts["efforts"]?.arrayValue?.count ?? 0) >= 21)
        #expect(efforts["effort_insensitive"] == .array([]), "every zoo model reasons more at higher effort")

        let again = try await AssayProcess.runDetached(["demo", "--suites", Fixtures.suitesDirectory], in: directory)
        #expect(again.status == 0)
        #expect(again.stdout.contains(" 0 samples stored") && again.stdout.contains("spent $0"), "\(again.stdout)")
    }

    @Test("a bad suite file exits 65 with file:line diagnostics")
    func badSuite() async throws {
        let path = try Fixtures.file(named: "bad.yaml", contents: "suite: s\ntask: t\nversion: 1\ngrader: {type: numeric}\nitems:\n  - {id: a, prompt: p, answer: seven}\n")
        let result = try await AssayProcess.runDetached(["suites", "validate", path])
        #expect(result.status == 65)
        #expect(result.stdout.contains("bad.yaml:6:") && result.stdout.contains("items[0].answer"))
        #expect(result.stdout.contains("0 of 1 suite file valid"))
        let good = try await AssayProcess.runDetached(["suites", "validate", Fixtures.suitesDirectory])
        #expect(good.status == 0)
    }

    @Test("a bad config exits 78 naming the line; a missing one says how to make one")
    func badConfig() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let config = directory + "/assay.yaml"
        try "databse: x.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await AssayProcess.runDetached(["run", "--config", config], in: directory)
        #expect(result.status == 65 || result.status == 78)
        #expect(result.stderr.contains("assay.yaml:1:") && result.stderr.contains("did you mean 'database'"))
        let empty = try Fixtures.temporaryDirectory()
        let missing = try await AssayProcess.runDetached(["run"], in: empty)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("assay init"))
    }

    @Test("an unreachable provider exits 69 before spending anything")
    func unreachable() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let text = """
            suites: \(Fixtures.suitesDirectory)
            providers:
              sim: {type: openai, base_url: "http://127.0.0.1:1/v1", max_retries: 0}
            models: [sim/pebble-1]
            """
        try text.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
        let result = try await AssayProcess.runDetached(["run"], in: directory)
        #expect(result.status == 69)
        #expect(result.stderr.contains("provider 'sim' is unreachable at http://127.0.0.1:1/v1"))
    }

    @Test("init writes a config that loads, and refuses to overwrite it")
    func initCommand() async throws {
        let directory = try Fixtures.temporaryDirectory()
        #expect(try await AssayProcess.runDetached(["init"], in: directory).status == 0)
        let second = try await AssayProcess.runDetached(["init"], in: directory)
        #expect(second.status == 64 && second.stderr.contains("--force"))
        // The written config is valid: suites list reads it.
        let list = try await AssayProcess.runDetached(["suites", "list", "--suites", Fixtures.suitesDirectory], in: directory)
        #expect(list.status == 0)
    }
}

@Suite("API keys")
struct APIKeyTests {
    @Test("a provider's key never reaches the database, the logs or an error, even when the provider quotes it back")
    func keysStayOut() async throws {
        let good = "sk-test-good-7d2c91f04ab35e66", wrong = "sk-test-wrong-1f9a2b3c4d5e6f70"
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1, apiKey: good) { port in
            let directory = try Fixtures.temporaryDirectory()
            try """
                suites: \(Fixtures.suitesDirectory)
                database: keys.sqlite
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1", api_key_env: ASSAY_TEST_KEY, max_retries: 0}
                models:
                  - {id: sim/pebble-1, efforts: [none], price: {input: "0.02", output: "0.08"}}
                """.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
            let debug = ["ASSAY_LOG_LEVEL": "trace"]
            let ok = try await AssayProcess.runDetached(["run", "--suite", "classification"], in: directory,
                                                        environment: debug.merging(["ASSAY_TEST_KEY": good]) { $1 })
            #expect(ok.status == 0, "\(ok.stderr)")
            let rejected = try await AssayProcess.runDetached(["run", "--suite", "classification", "--json"], in: directory,
                                                              environment: debug.merging(["ASSAY_TEST_KEY": wrong]) { $1 })
            #expect(rejected.status == 69, "a rejected key stops the run before spending")
            #expect(rejected.stderr.contains("rejected the API key") && rejected.stderr.contains("[redacted]"), "\(rejected.stderr)")
            var everything = ok.stdout + ok.stderr + rejected.stdout + rejected.stderr
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasPrefix("keys.sqlite") {
                everything += String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)), as: UTF8.self)
            }
            #expect(!everything.contains(good) && !everything.contains(wrong))
            #expect(!everything.contains("sk-test"), "not even a prefix of the key")
        }
    }
}
