import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import Foundation
import Testing

@Suite("The catalog's router section")
struct RouterSectionTests {
    @Test("features fold case and digits, and do not depend on the process")
    func features() {
        let spec = FeatureSpec()
        let a = PromptFeatures.counts("Maya has 24 Pencils!", spec: spec)
        let b = PromptFeatures.counts("maya has 38 pencils", spec: spec)
        #expect(a.buckets == b.buckets && a.counts == b.counts)
        #expect(a.buckets == a.buckets.sorted() && Set(a.buckets).count == a.buckets.count)
        #expect(a.buckets.allSatisfy { $0 >= 0 && Int($0) < spec.buckets })
        #expect(PromptFeatures.counts("", spec: spec).buckets.isEmpty)
        #expect(PromptFeatures.counts("abc", spec: spec).buckets.count == 6, "3 + 2 character n-grams and a word")
    }

    @Test("entries carry item scores indexed by the task's router items, which have normalised signatures")
    func itemScores() throws {
        let facts = (0..<6).flatMap { index in
            [("big", 1.0), ("small", index % 2 == 0 ? 1.0 : 0.0)].map { model, score in
                SampleFact(provider: "sim", model: model, effort: "low", task: "math", suite: "s", itemKey: "q\(index)", score: score)
            }
        }
        let prompts = Dictionary(uniqueKeysWithValues: (0..<5).map { (ItemRef(suite: "s", item: "q\($0)"), "What is \($0) times seven?") })
        let document = CatalogBuilder(margin: 0.02, prices: [:], prompts: prompts).build(facts: facts)
        let router = try #require(document.router)
        let items = try #require(router.tasks.first { $0.task == "math" }?.items)
        #expect(items.map(\.key) == (0..<6).map { "s/q\($0)" })
        #expect(items.last?.signature == nil, "q5 has no prompt")
        for item in items.dropLast() {
            let signature = try #require(item.signature)
            #expect(signature.buckets.count <= RouterTraining.signatureSize)
            #expect(abs(signature.values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3)
        }
        #expect(router.documents == 5 && router.classifier.classes.map(\.task) == ["math"])
        let small = try #require(document.section("math")?.entries.first { $0.model == "sim/small" }?.itemScores)
        #expect(small.items == Array(0..<6) && small.scores == [1, 0, 1, 0, 1, 0])
    }

    /// Two tasks of `count` prompts each; `noisy` of task a's prompts are task b's text.
    func classifier(noisy: Int) -> CatalogDocument.Classifier? {
        let count = 30
        let a = (0..<count).map { i in i < noisy ? "the hat is on the mat by the door, item \(i)" : "sum the apples and pears and divide, item \(i)" }
        let b = (0..<count).map { i in "the hat is on the mat by the door, item \(i)" }
        let tasks = [RouterTraining.TaskItems(task: "a", items: a.enumerated().map { (key: "a/\($0.offset)", prompt: $0.element) }),
                     RouterTraining.TaskItems(task: "b", items: b.enumerated().map { (key: "b/\($0.offset)", prompt: $0.element) })]
        return RouterTraining.section(tasks: tasks, prices: [:]).classifier
    }

    @Test("the classifier's temperature is fitted: 1 when the tasks' prompts are separable, above 1 when they overlap")
    func temperature() throws {
        let separable = try #require(classifier(noisy: 0)?.temperature)
        let overlapping = try #require(classifier(noisy: 6)?.temperature)
        #expect(separable == 1, "leave-one-out predictions are right and sure: no reason to soften them")
        #expect(overlapping > 1.5, "a fifth of task a reads as task b: confident posteriors would be wrong that often (\(overlapping))")
    }
}
