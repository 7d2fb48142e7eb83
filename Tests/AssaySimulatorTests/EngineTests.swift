import AssayCore
import AssayProviders
@testable import AssaySimulator
import AssaySuites
import AssayTestSupport
import Foundation
import Testing

@Suite("Simulator engine")
struct EngineTests {
    let zoo: Zoo
    let suites: [Suite]
    let engine: SimulatorEngine

    init() throws {
        zoo = try Zoo.builtIn()
        suites = try Fixtures.shippedSuites()
        engine = SimulatorEngine(zoo: zoo, suites: suites)
    }

    @Test("the built-in zoo has at least six models over a wide price range, each with three or more efforts")
    func zooShape() {
        #expect(zoo.models.count >= 6)
        let inputPrices = zoo.models.map { $0.price.rate(.input) }
        #expect(inputPrices.max()! / inputPrices.min()! >= 100)
        for model in zoo.models { #expect(model.efforts.count >= 3, "\(model.id)") }
    }

    @Test("correct answers pass the grader and wrong answers fail it, for every shipped item, style and variant")
    func answersGradeAsIntended() {
        for suite in suites where suite.grader.isPure {
            for item in suite.items {
                for chatty in [false, true] {
                    for variant in [0.0, 0.3, 0.6, 0.95] {
                        let writer = AnswerWriter(suite: suite, item: item, chatty: chatty, variant: variant)
                        let right = suite.grader.grade(writer.answer(correct: true), item: item)
                        let wrong = suite.grader.grade(writer.answer(correct: false), item: item)
                        #expect(right.passed, "\(suite.name)/\(item.id) correct answer failed: \(right.reason)")
                        #expect(!wrong.passed, "\(suite.name)/\(item.id) wrong answer passed: \(writer.answer(correct: false))")
                    }
                }
            }
        }
    }

    @Test("outcomes are deterministic for a seed, and another seed gives another draw")
    func deterministic() throws {
        let suite = try #require(suites.first { $0.task == "math" })
        let messages = [ChatRequest.Message(role: .system, content: suite.system ?? ""),
                        ChatRequest.Message(role: .user, content: suite.items[5].renderedPrompt)]
        let a = try engine.complete(model: "finch", messages: messages, effortText: "low", maxTokens: nil, seed: 0)
        let b = try engine.complete(model: "finch", messages: messages, effortText: "low", maxTokens: nil, seed: 0)
        #expect(a.text == b.text && a.usage == b.usage)
        var differs = false
        for seed in 1...40 {
            let other = try engine.complete(model: "finch-mini", messages: messages, effortText: "minimal", maxTokens: nil, seed: seed)
            let base = try engine.complete(model: "finch-mini", messages: messages, effortText: "minimal", maxTokens: nil, seed: 0)
            if other.correct != base.correct { differs = true }
        }
        #expect(differs, "different seeds should sometimes change a middling model's outcome")
    }

    @Test("more effort: at least as good and more reasoning tokens")
    func effortHelpsAndCosts() throws {
        let suite = try #require(suites.first { $0.task == "math" })
        let model = try #require(zoo.model("finch"))
        let behaviour = Behaviour(zoo: zoo)
        let low = behaviour.expectedQuality(model: model, effort: .low, suite: suite)
        let high = behaviour.expectedQuality(model: model, effort: .high, suite: suite)
        #expect(high > low)
        let item = suite.items[0]
        let lowTokens = behaviour.reasoningTokens(model: model, effort: .low, itemKey: item.id, difficulty: 3, requestSeed: 0)
        let highTokens = behaviour.reasoningTokens(model: model, effort: .high, itemKey: item.id, difficulty: 3, requestSeed: 0)
        #expect(highTokens > lowTokens * 3)
    }

    @Test("item_correlation 1 is one shared draw: a stronger model solves a superset of what a weaker one solves")
    func nestedAtFullCorrelation() throws {
        let suite = try #require(suites.first { $0.task == "reasoning" })
        var shared = zoo
        shared.itemCorrelation = 1
        let weak = try #require(zoo.model("finch-mini")), strong = try #require(zoo.model("condor-max"))
        let behaviour = Behaviour(zoo: shared)
        for seed in 0..<20 {
            for item in suite.items where behaviour.isCorrect(model: weak, effort: .high, suite: suite, item: item, requestSeed: seed) {
                #expect(behaviour.isCorrect(model: strong, effort: .high, suite: suite, item: item, requestSeed: seed))
            }
        }
    }

    @Test("item_correlation is read from the zoo profile; one outside 0…1 is refused with its line")
    func correlationSetting() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = "models:\n  - id: m\n    price: {input: \"1\", output: \"2\"}\n    skill: {default: 1}\n    efforts: {low: {boost: 0}}\n"
        let good = directory + "/good.yaml", bad = directory + "/bad.yaml"
        try ("item_correlation: 0.25\n" + model).write(toFile: good, atomically: true, encoding: .utf8)
        try ("item_correlation: 1.5\n" + model).write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try Zoo.load(file: good).itemCorrelation == 0.25)
        #expect(try Zoo.builtIn().itemCorrelation == Zoo.defaultItemCorrelation)
        do {
            _ = try Zoo.load(file: bad)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("bad.yaml:1:") && "\(error)".contains("item_correlation must be between 0 and 1"), "\(error)")
        }
    }

    @Test("by default models make their own mistakes: correlated, not nested, each at its own rate")
    func correlatedNotNested() throws {
        let suite = try #require(suites.first { $0.task == "math" })
        let a = try #require(zoo.model("finch")), b = try #require(zoo.model("heron-flash"))
        let behaviour = Behaviour(zoo: zoo)
        var both = 0.0, onlyA = 0.0, onlyB = 0.0, neither = 0.0, expectedA = 0.0, solvedA = 0.0
        for seed in 0..<200 {
            for item in suite.items {
                let x = behaviour.isCorrect(model: a, effort: .low, suite: suite, item: item, requestSeed: seed)
                let y = behaviour.isCorrect(model: b, effort: .low, suite: suite, item: item, requestSeed: seed)
                switch (x, y) {
                case (true, true): both += 1
                case (true, false): onlyA += 1
                case (false, true): onlyB += 1
                case (false, false): neither += 1
                }
                expectedA += behaviour.probability(model: a, effort: .low, task: suite.task, difficulty: item.difficulty)
                solvedA += x ? 1 : 0
            }
        }
        // Neither model's solved set contains the other's.
        #expect(onlyA > 0 && onlyB > 0)
        // Outcomes agree more than independent draws would (phi > 0), less than one shared draw.
        let phi = (both * neither - onlyA * onlyB)
            / ((both + onlyA) * (onlyB + neither) * (both + onlyB) * (onlyA + neither)).squareRoot()
        #expect(phi > 0.15 && phi < 0.9)
        // The mix keeps each model's success rate at its probability.
        #expect(abs(solvedA - expectedA) / expectedA < 0.05)
    }

    @Test("refuses unknown models, unsupported efforts and prompts over the context window, in OpenAI's words")
    func refusals() {
        let messages = [ChatRequest.Message(role: .user, content: "hi")]
        #expect(throws: SimulatorEngine.Refusal.self) { try engine.complete(model: "gpt-0", messages: messages, effortText: nil, maxTokens: nil, seed: nil) }
        do {
            _ = try engine.complete(model: "pebble-1", messages: messages, effortText: "xhigh", maxTokens: nil, seed: nil)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.status == 400 && error.code == "unsupported_value")
            #expect(error.message.contains("'reasoning_effort' does not support 'xhigh'"))
        }
        let huge = [ChatRequest.Message(role: .user, content: String(repeating: "word ", count: 40_000))]
        do {
            _ = try engine.complete(model: "pebble-1", messages: huge, effortText: nil, maxTokens: nil, seed: nil)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == "context_length_exceeded")
        }
    }

    @Test("a max_tokens budget smaller than the reasoning cuts the answer with finish_reason length")
    func maxTokens() throws {
        let suite = try #require(suites.first { $0.task == "math" })
        let messages = [ChatRequest.Message(role: .user, content: suite.items.last!.renderedPrompt)]
        let completion = try engine.complete(model: "condor", messages: messages, effortText: "xhigh", maxTokens: 100, seed: 0)
        #expect(completion.finishReason == "length")
        #expect(completion.usage.outputTokens <= 100)
    }

    @Test("the profiles imply a different kind of pick per task")
    func expectedPicks() throws {
        let expected = ExpectedCatalog(zoo: zoo, suites: suites, margin: 0.02)
        let picks = expected.tasks.compactMap(\.pick).map { "\($0.model)@\($0.effort)" }
        #expect(picks.count == Set(suites.map(\.task)).count)
        #expect(Set(picks).count == picks.count, "each task should have its own pick: \(picks)")
    }
}
