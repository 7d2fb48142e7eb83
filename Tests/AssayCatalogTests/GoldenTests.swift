import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Outputs people read, pinned as golden files. After a deliberate change, regenerate with
/// `ASSAY_UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review the diff.
@Suite("Golden outputs")
struct GoldenTests {
    static let directory = Fixtures.repoRoot + "/Tests/AssayCatalogTests/Golden"

    /// Two tasks: a ladder of three entries with a cheaper non-inferior one, and a model measured
    /// at three efforts with two epochs and a clustered passage.
    static var document: CatalogDocument {
        var facts: [SampleFact] = []
        func add(_ task: String, _ model: String, _ effort: String, _ scores: [Double], cost: Int64, epoch: Int = 0, cluster: ((Int) -> String?)? = nil) {
            for (index, score) in scores.enumerated() {
                facts.append(SampleFact(provider: "sim", model: model, effort: effort, task: task, suite: "\(task)-suite",
                                        itemKey: "q\(index)", cluster: cluster?(index), epoch: epoch, score: score,
                                        usage: Usage(inputTokens: 100, outputTokens: 20 + index), costNusd: cost + Int64(index),
                                        latencyMs: 100 + 10 * index))
            }
        }
        let ones = Array(repeating: 1.0, count: 200)
        add("extraction", "big", "high", ones, cost: 9_000)
        add("extraction", "mid", "low", Array(repeating: 1.0, count: 199) + [0.5], cost: 900)
        add("extraction", "small", "none", Array(repeating: 1.0, count: 180) + Array(repeating: 0, count: 20), cost: 90)
        for epoch in 0..<2 {
            add("math", "m", "low", (0..<40).map { $0 % 3 == 0 ? 0 : 1 }, cost: 100, epoch: epoch, cluster: { "p\($0 / 4)" })
            add("math", "m", "high", (0..<40).map { $0 % 10 == 0 ? 0 : 1 }, cost: 400, epoch: epoch, cluster: { "p\($0 / 4)" })
            add("math", "m", "xhigh", (0..<40).map { $0 % 10 == 0 && $0 > 0 ? 0 : 1 }, cost: 900, epoch: epoch, cluster: { "p\($0 / 4)" })
        }
        return CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000)).build(facts: facts)
    }

    func check(_ text: String, against name: String) throws {
        let path = Self.directory + "/" + name
        if ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] != nil {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == golden, "\(name) differs from its golden file; regenerate with ASSAY_UPDATE_GOLDEN=1 if intended")
    }

    @Test("CATALOG.md")
    func markdown() throws {
        try check(CatalogMarkdown.render(Self.document), against: "CATALOG.md")
    }

    @Test("building twice from the same samples gives the same document, hash included")
    func deterministic() {
        #expect(Self.document == Self.document)
    }

    @Test("catalog best --json answers")
    func bestAnswers() throws {
        let answers = try Self.document.taskNames.map { try CatalogQuery.best(in: Self.document, task: $0) }
        let json = String(decoding: try CatalogDocument.encoder().encode(answers), as: UTF8.self) + "\n"
        try check(json, against: "best.json")
    }
}
