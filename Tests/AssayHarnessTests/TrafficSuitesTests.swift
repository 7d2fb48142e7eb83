import AssayCore
import AssayHarness
import AssaySimulator
import AssaySuites
import AssayTestSupport
import AssayTraffic
import Foundation
import Testing

@Suite("Suites from traffic")
struct TrafficSuitesTests {
    /// A traffic log file holding `captures` (task, answering model, captured prompt, answer).
    static func log(_ captures: [(task: String?, model: String, prompt: String, answer: String)]) throws -> (directory: String, path: String) {
        let directory = try Fixtures.temporaryDirectory("traffic-suites")
        let path = directory + "/traffic.sqlite"
        let database = try TrafficDatabase(path: path)
        try database.write(captures.enumerated().map { index, capture in
            TrafficEntry(at: Date(timeIntervalSince1970: 1_796_000_000 + Double(index)), client: nil, endpoint: "chat_completions",
                         requestedModel: "auto", stream: false, task: capture.task, taskSource: "classifier", model: capture.model,
                         effort: "low", status: 200, latencyMs: 5, capture: .init(prompt: capture.prompt, answer: capture.answer))
        })
        // A failed request's capture is never an item.
        try database.write([TrafficEntry(at: Date(timeIntervalSince1970: 1_796_000_000), client: nil, endpoint: "chat_completions",
                                         requestedModel: "auto", stream: false, task: "writing", status: 502, latencyMs: 5,
                                         capture: .init(prompt: "user: failed request", answer: ""))])
        return (directory, path)
    }

    static func files(under directory: String) -> [String] {
        (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).sorted()
    }

    @Test("hostile captured prompts and task names stay strings in the written YAML and every file lands inside the output folder")
    func hostileInput() async throws {
        let hostile = [
            "---\nsuite: evil\ntask: math\nitems: []\n...",
            "&anchor [*anchor, *anchor, *anchor]",
            "!!python/object/apply:os.system ['rm -rf /']",
            "null", "~", "1e3", "yes", "007",
            "\"double\" 'single' # not a comment: really",
            "control \u{7}\u{1b}[31m red \u{0085} next-line \t tab",
            "key: value\n- item\n  indented: true\n",
            "   leading spaces and trailing   ",
            "{{ template }} ${HOME} $(reboot) `id`",
            "%TAG ! tag:evil.example,2000:\n--- !shell 'ls'",
        ]
        let captures = hostile.enumerated().map { (task: ["../../escape", "/etc/passwd", "..", "writing"][$0.offset % 4] as String?,
                                                   model: "sim/condor-max", prompt: "user: " + $0.element, answer: "reference \($0.offset): " + $0.element) }
        let (directory, path) = try Self.log(captures)
        let out = directory + "/suites/private"
        var options = TrafficSuiteBuilder.Options()
        options.minItems = 1
        let summary = try await TrafficSuites.write(traffic: path, out: out, baseline: ModelRef("sim/condor-max")!, options: options) { _ in
            Issue.record("every reference was captured from the baseline; nothing should be asked")
            return ""
        }
        #expect(summary.captures == hostile.count)
        #expect(Set(summary.written.map(\.task)) == ["traffic-escape", "traffic-etc-passwd", "traffic-unrouted", "traffic-writing"])
        // Nothing outside the folder: the temporary directory holds only the log and the folder's files.
        #expect(Self.files(under: directory).filter { $0 != "suites" && !$0.hasPrefix("suites/private") && !$0.hasPrefix("traffic.sqlite") }.isEmpty)
        #expect(Self.files(under: out) == summary.written.map { ($0.file as NSString).lastPathComponent }.sorted())
        var prompts: [String: String] = [:]
        for written in summary.written {
            let suite = try SuiteLoader.load(file: written.file)
            #expect(suite.task == written.task && suite.name == written.task)
            for item in suite.items {
                prompts[item.prompt] = item.reference
                #expect(item.answer.scalarText == item.reference)
            }
            if case .judge(let rubric) = suite.grader { #expect(rubric.rubric == TrafficSuiteBuilder.rubric && rubric.scale == 10) } else {
                Issue.record("\(written.file): not judge-graded")
            }
        }
        for (index, prompt) in hostile.enumerated() {
            #expect(prompts[prompt] == "reference \(index): " + prompt, "prompt \(index) did not survive the YAML round trip")
        }
    }

    @Test("a task is sampled in a fixed order with near-duplicates left out; references are captured from the baseline or asked of it")
    func sampleAndReferences() async throws {
        let countries = ["France", "Kenya", "Peru", "Norway", "Chile", "Japan"]
        var captures: [(task: String?, model: String, prompt: String, answer: String)] = []
        for (index, country) in countries.enumerated() {
            captures.append((task: "classification", model: index < 2 ? "sim/condor-max" : "sim/finch-mini",
                             prompt: "user: Which currency does \(country) use, and since which year?", answer: "captured \(country)"))
            // The same question again, punctuation and case aside: a near-duplicate.
            captures.append((task: "classification", model: "sim/finch-mini",
                             prompt: "user: which currency does \(country) use and since which year??", answer: "again"))
        }
        captures.append((task: "math", model: "sim/condor-max", prompt: "user: What is 17 times 23?", answer: "391"))
        captures.append((task: "math", model: "sim/finch", prompt: "system: Be brief.\nuser: What is 17 times 23?\nassistant: 391\nuser: and times 24?",
                         answer: "408"))
        let (directory, path) = try Self.log(captures)
        var settings = TrafficSuiteBuilder.Options()
        settings.minItems = 3
        settings.perTask = 7
        let options = settings
        let summary = try await Fixtures.withLiveSimulator(suites: []) { port in
            let config = try PipelineTests.config(port: port, database: directory + "/assay.sqlite", zoo: try Zoo.builtIn())
            return try await TrafficSuites.write(config: config, traffic: path, out: directory + "/private", baseline: ModelRef("sim/condor-max")!,
                                                 options: options, logger: Fixtures.quietLogger)
        }
        #expect(summary.skipped == ["traffic-math"])
        let written = try #require(summary.written.first)
        #expect(summary.written.count == 1 && written.task == "traffic-classification")
        #expect(written.captured == 12 && written.items == 6 && written.duplicates == 6)
        let suite = try SuiteLoader.load(file: written.file)
        let countriesKept = suite.items.compactMap { item in countries.first { item.prompt.contains($0) } }
        #expect(Set(countriesKept).count == 6, "each kept item is a different question")
        for item in suite.items {
            let country = try #require(countries.first { item.prompt.contains($0) })
            if item.reference == "captured \(country)" {
                #expect(countries.prefix(2).contains(country) && item.prompt.hasPrefix("Which"))
            } else {
                // Asked of the baseline: the simulated sim/condor-max's own answer to this prompt.
                #expect(item.reference?.contains("condor-max") == true && item.reference?.contains(country) == true)
            }
        }
        #expect(written.referencesCaptured + written.referencesAsked == 6)
        // The same log and seed give the same suite.
        let again = try await Fixtures.withLiveSimulator(suites: []) { port in
            let config = try PipelineTests.config(port: port, database: directory + "/assay.sqlite", zoo: try Zoo.builtIn())
            return try await TrafficSuites.write(config: config, traffic: path, out: directory + "/private2", baseline: ModelRef("sim/condor-max")!,
                                                 options: options, logger: Fixtures.quietLogger)
        }
        #expect(try String(contentsOfFile: again.written[0].file, encoding: .utf8) == String(contentsOfFile: written.file, encoding: .utf8))
    }

    @Test("a conversation other than one user message stays a transcript; shingled Jaccard finds near-duplicates")
    func promptsAndShingles() {
        #expect(TrafficSuiteBuilder.prompt(from: "user: hello there") == "hello there")
        #expect(TrafficSuiteBuilder.prompt(from: "user: line one\nline two") == "line one\nline two")
        let transcript = "system: Be brief.\nuser: hi"
        #expect(TrafficSuiteBuilder.prompt(from: transcript) == transcript)
        #expect(TrafficSuiteBuilder.prompt(from: "user: hi\nassistant: hello\nuser: bye") == "user: hi\nassistant: hello\nuser: bye")
        #expect(Shingles("What's the capital of France?").jaccard(Shingles("what's the capital of france")) == 1)
        #expect(Shingles("translate to German: Where is the train station?").jaccard(Shingles("translate to German: Can I pay by card?")) < 0.5)
    }

    @Test("a missing log, a log without captures and a bad fixture line are errors that say what to do")
    func badInput() async throws {
        let options = TrafficSuiteBuilder.Options()
        await #expect(throws: AssayError.self) {
            _ = try await TrafficSuites.write(traffic: "/nonexistent/traffic.sqlite", out: "/tmp/unused", baseline: ModelRef("a/b")!,
                                              options: options) { _ in "" }
        }
        let directory = try Fixtures.temporaryDirectory("traffic-empty")
        try TrafficDatabase(path: directory + "/t.sqlite").write([TrafficEntry(at: Date(), client: nil, endpoint: "messages", requestedModel: "auto",
                                                                                stream: false, status: 200, latencyMs: 1)])
        do {
            _ = try await TrafficSuites.write(traffic: directory + "/t.sqlite", out: directory + "/out", baseline: ModelRef("a/b")!,
                                              options: options) { _ in "" }
            Issue.record("a log without captures should be refused")
        } catch let error as AssayError {
            #expect(error.description.contains("capture_sample_rate"))
        }
        let fixture = try Fixtures.file(named: "bad.jsonl", contents: "{\"api\": \"openai\", \"body\": {}}\n{\"api\": \"gemini\", \"body\": {}}\n")
        do {
            _ = try TrafficFixture.read(path: fixture)
            Issue.record("an unknown api should be refused")
        } catch let error as AssayError {
            #expect(error.description.contains("bad.jsonl:2") && error.description.contains("'api'"))
        }
    }

    @Test("the committed fixture holds at least 500 everyday requests of every kind, in both APIs")
    func committedFixture() throws {
        let fixture = try TrafficFixture.read(path: Fixtures.repoRoot + "/traffic/everyday.jsonl")
        #expect(fixture.requests.count >= 500)
        #expect(Set(fixture.requests.map(\.kind)) == ["chat", "question", "translate", "rewrite", "summary", "agent"])
        #expect(Set(fixture.requests.map(\.api)) == [.openai, .anthropic])
        #expect(fixture.requests.contains { $0.kind == "agent" && $0.body.contains("\"tools\"") })
    }
}
