import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Foundation
import Testing

/// The learned per-request estimator (prompt-logistic): trained at build, shipped in the catalog,
/// used by the router, refused when malformed, and judged on held-out items.
@Suite("Learned estimator")
struct LearnedEstimatorTests {
    @Test("the build ships a prompt-logistic estimator for math, whose prompts tell additions from geometry")
    func shipped() throws {
        let document = RouterFixture.document()
        let router = try #require(document.router)
        let choice = try #require(router.estimator)
        #expect(choice.name == "prompt-logistic" && choice.tasks.contains("math"))
        let math = try #require(router.tasks.first { $0.task == "math" }?.estimator)
        #expect(math.weights.count == PromptShape.count)
        #expect(math.items == 2 * RouterFixture.count)
        #expect(math.brier < math.constantBrier / 2, "the prompt separates what small solves: \(math.brier) vs \(math.constantBrier)")
        // The same measurements hash the same: training is deterministic.
        #expect(RouterFixture.document().contentSha256 == document.contentSha256)
    }

    @Test("on unseen prompts the router sends an addition to the small model and geometry elsewhere, saying why")
    func routesByPrompt() throws {
        // A 10-point margin: small's predicted success on an addition beyond the training items'
        // numbers, from 48 training items, stays short of certain (about 0.92).
        let snapshot = try RouterFixture.snapshot(RouterOptions(margin: 0.1))
        let easy = try snapshot.decide(RouteRequest(prompt: RouterFixture.addition(40), model: "auto:math"))
        let hard = try snapshot.decide(RouteRequest(prompt: RouterFixture.geometry(40), model: "auto:math"))
        #expect(easy.estimator == "prompt-logistic" && hard.estimator == "prompt-logistic")
        #expect(easy.reason.contains("(task 50.0%, prompt-logistic)"), "\(easy.reason)")
        let easyEstimates = try snapshot.estimates(RouteRequest(prompt: RouterFixture.addition(40), model: "auto:math")).estimates
        #expect(easy.model == "sim/small", "\(easy.reason) \(easyEstimates)")
        #expect(hard.model != "sim/small", "\(hard.reason)")
        #expect(easy.estimatedQuality > 0.9 && hard.fallbacks.allSatisfy { $0.model != "sim/small" || $0.estimatedQuality < 0.2 })
        var nearest = RouterOptions()
        nearest.estimator = .nearestItems
        let plain = try RouterFixture.snapshot(nearest).decide(RouteRequest(prompt: RouterFixture.addition(40), model: "auto:math"))
        #expect(plain.estimator == nil)
    }

    @Test("held out by item, the learned router is cheaper than the per-task table at equal quality and takes the oracle's headroom")
    func beatsTheTable() throws {
        let builder = CatalogBuilder(margin: 0.02, prices: [:], prompts: RouterFixture.prompts)
        let splits = HoldOut.splits(facts: RouterFixture.facts(items: RouterFixture.items), folds: 3, builder: builder)
        let result = try RouterEvaluation.evaluate(splits: splits, options: RouterOptions(margin: 0.05))
        let comparison = try #require(result.comparisons.first { $0.policy == "router-prompt-logistic+task" && $0.against == "per-task-pick" })
        #expect(comparison.items == RouterFixture.items.count)
        #expect(comparison.equalQuality, "quality difference \(comparison.qualityDifference)")
        #expect(comparison.qualityDifference.low <= comparison.qualityDifference.mean
                && comparison.qualityDifference.mean <= comparison.qualityDifference.high)
        #expect(comparison.costRatio < 0.75, "at least 25% cheaper than the table: \(comparison.costRatio)")
        #expect(try #require(comparison.oracleHeadroomCaptured) >= 0.4)
        #expect(comparison.costDifferenceNusd.high < 0, "the saving's interval excludes zero: \(comparison.costDifferenceNusd)")
        let calibration = try #require(result.calibration.first { $0.policy == "router-prompt-logistic+task (every entry)" })
        #expect(calibration.predictions == RouterFixture.items.count * RouterFixture.entries.count)
        #expect(calibration.brier < calibration.taskQualityBrier)
        #expect(calibration.deciles.map(\.count).reduce(0, +) == calibration.predictions)
        #expect(result.policies.contains { $0.policy == "per-task-pick" })
    }

    @Test("a catalog whose estimator has the wrong number of weights or a number that is not finite is refused, naming the task")
    func malformedRefused() throws {
        var document = RouterFixture.document()
        let index = try #require(document.router?.tasks.firstIndex { $0.task == "math" })
        var short = document
        short.router!.tasks[index].estimator!.weights.removeLast()
        #expect { try RouterSnapshot(document: short) } throws: { error in
            "\(error)".contains("router.tasks['math'].estimator has \(PromptShape.count - 1) weights")
        }
        document.router!.tasks[index].estimator!.entries[0].slope = .nan
        #expect { try RouterSnapshot(document: document) } throws: { error in "\(error)".contains("not finite") }
    }

    @Test("a catalog from before the learned estimator (no estimator keys) loads and routes by nearest items")
    func olderCatalogLoads() throws {
        var document = RouterFixture.document()
        document.router!.estimator = nil
        document.router!.recalibration = nil
        for index in document.router!.tasks.indices { document.router!.tasks[index].estimator = nil }
        let data = try CatalogDocument.encoder().encode(document)
        #expect(!String(decoding: data, as: UTF8.self).contains("\"estimator\""))
        let decision = try RouterSnapshot(data: data).decide(RouteRequest(prompt: RouterFixture.addition(40), model: "auto:math"))
        #expect(decision.estimator == nil && decision.task == "math")
    }

    @Test("prompt features stay finite and sized on hostile prompts: empty, a megabyte, control bytes and non-ASCII")
    func hostilePrompts() {
        let spec = FeatureSpec()
        for prompt in ["", String(repeating: "9.", count: 500_000), "\u{0}\u{1}\n\n\t", String(repeating: "日本語テキスト ", count: 2_000)] {
            let features = PromptFeatures.counts(prompt, spec: spec)
            let vector = PromptShape.vector(prompt, buckets: features.buckets, counts: features.counts)
            #expect(vector.count == PromptShape.count && vector.allSatisfy(\.isFinite))
            #expect(vector[0] == log1p(Float(prompt.utf8.count)))
        }
    }
}
