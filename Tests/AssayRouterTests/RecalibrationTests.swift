import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Foundation
import Testing

/// The recalibration maps (docs/router.md, "Recalibration"): fitted on cross-fitted pairs at
/// build, shipped in the catalog, refused at load when malformed, applied to every estimate.
@Suite("Recalibration")
struct RecalibrationTests {
    /// Pairs from an estimator whose predictions are too spread out: the true rate is 0.1 + 0.8 p.
    static func overconfident(_ count: Int, seed: UInt64) -> [(predicted: Double, observed: Double)] {
        var state = seed
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(UInt64(1) << 53)
        }
        return (0..<count).map { _ in
            let p = next()
            return (p, next() < 0.1 + 0.8 * p ? 1 : 0)
        }
    }

    /// The largest |mean predicted − observed rate| over deciles with at least 30 pairs.
    static func worstGap(_ pairs: [(predicted: Double, observed: Double)]) -> Double {
        (0..<10).compactMap { bin -> Double? in
            let inside = pairs.filter { min(9, Int($0.predicted * 10)) == bin }
            guard inside.count >= 30 else { return nil }
            return abs(inside.map(\.predicted).reduce(0, +) - inside.map(\.observed).reduce(0, +)) / Double(inside.count)
        }.max() ?? 0
    }

    @Test("a map fitted on an over-confident estimator's held-out pairs brings every decile of fresh pairs within 5 points")
    func fixesOverconfidence() throws {
        let map = try #require(Recalibration.fit(.promptLogistic, pairs: Self.overconfident(20_000, seed: 1)))
        let fresh = Self.overconfident(20_000, seed: 2)
        #expect(Self.worstGap(fresh) > 0.05, "the raw estimator is off: \(Self.worstGap(fresh))")
        let mapped = fresh.map { (predicted: map.apply($0.predicted), observed: $0.observed) }
        #expect(Self.worstGap(mapped) <= 0.05, "after the map: \(Self.worstGap(mapped)); knots \(Array(zip(map.predicted, map.observed)))")
        #expect(map.brierAfter < map.brierBefore && map.problem == nil && map.pairs == 20_000)
        #expect(map.predicted.count <= Recalibration.maximumKnots)
    }

    @Test("the map is strictly increasing over [0, 1], and the same pairs in another order fit the same map")
    func monotoneAndDeterministic() throws {
        let pairs = Self.overconfident(2_000, seed: 3)
        let map = try #require(Recalibration.fit(.nearestItems, pairs: pairs))
        let values = (0...1_000).map { map.apply(Double($0) / 1_000) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "no two estimates may tie that did not tie before")
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(Recalibration.fit(.nearestItems, pairs: pairs.reversed()) == map)
        #expect(Recalibration.fit(.nearestItems, pairs: Array(pairs.prefix(Recalibration.minimumPairs - 1))) == nil)
    }

    @Test("the build ships a map for each estimator it has enough cross-fitted pairs for, and building again gives the same catalog")
    func shippedByBuild() throws {
        let document = RouterFixture.document()
        let maps = try #require(document.router?.recalibration)
        #expect(Set(maps.map(\.estimator)).isSubset(of: Set(Recalibration.Estimator.allCases.map(\.rawValue))))
        #expect(maps.contains { $0.estimator == "task-quality" } && maps.allSatisfy { $0.problem == nil && $0.pairs >= Recalibration.minimumPairs })
        #expect(RouterFixture.document().contentSha256 == document.contentSha256)
        // The cross-fitted nearest items use the router's own defaults.
        let defaults = RouterOptions()
        #expect(defaults.neighbours == RouterTraining.neighbours && defaults.priorWeight == RouterTraining.priorWeight
                && defaults.minSimilarity == RouterTraining.minSimilarity)
    }

    @Test("the router applies the catalog's map to every estimate: nearest items, task quality and prompt-logistic")
    func applied() throws {
        var document = RouterFixture.document()
        let knots = (predicted: [0.2, 0.8], observed: [0.1, 0.6])
        document.router!.recalibration = Recalibration.Estimator.allCases.map {
            Recalibration(estimator: $0.rawValue, predicted: knots.predicted, observed: knots.observed, pairs: 500, brierBefore: 0, brierAfter: 0)
        }
        let map = document.router!.recalibration![0]
        for preference in [RouterOptions.EstimatorPreference.nearestItems, .promptLogistic] {
            var options = RouterOptions()
            options.estimator = preference
            let calibrated = try RouterSnapshot(document: document, options: options)
            options.recalibrate = false
            let raw = try RouterSnapshot(document: document, options: options)
            for prompt in [RouterFixture.addition(41), RouterFixture.geometry(41)] {
                let request = RouteRequest(prompt: prompt, model: "auto:math")
                let before = try raw.estimates(request).estimates, after = try calibrated.estimates(request).estimates
                #expect(before.keys.sorted() == after.keys.sorted() && !before.isEmpty)
                for (entry, value) in before {
                    #expect(abs(after[entry]! - map.apply(value)) < 1e-12, "\(preference) \(entry): \(value) → \(after[entry]!)")
                }
                let decision = try calibrated.decide(request)
                #expect(abs(decision.estimatedQuality - map.apply(before[decision.name]!)) < 1e-12)
            }
        }
        // Linear between knots; beyond them nearly flat (1% of the way to 0 or 1), still increasing.
        for (p, expected) in [(0.2, 0.1), (0.5, 0.35), (0.8, 0.6), (0.1, 0.0995), (0, 0.099), (1, 0.604)] {
            #expect(abs(map.apply(p) - expected) < 1e-12, "\(p) → \(map.apply(p))")
        }
    }

    @Test("a catalog whose recalibration map is malformed is refused at load, naming the map, what is wrong and what to do",
          arguments: [
              ("estimator 'magic'", Recalibration(estimator: "magic", predicted: [0.5], observed: [0.5], pairs: 300, brierBefore: 0, brierAfter: 0)),
              ("same length", Recalibration(estimator: "task-quality", predicted: [0.2, 0.5], observed: [0.5], pairs: 300, brierBefore: 0, brierAfter: 0)),
              ("in [0, 1]", Recalibration(estimator: "task-quality", predicted: [0.2, .nan], observed: [0.1, 0.5], pairs: 300, brierBefore: 0, brierAfter: 0)),
              ("in [0, 1]", Recalibration(estimator: "task-quality", predicted: [0.2, 0.5], observed: [0.1, 1.5], pairs: 300, brierBefore: 0, brierAfter: 0)),
              ("strictly increasing", Recalibration(estimator: "nearest-items", predicted: [0.5, 0.5], observed: [0.1, 0.5], pairs: 300, brierBefore: 0, brierAfter: 0)),
              ("non-decreasing", Recalibration(estimator: "prompt-logistic", predicted: [0.2, 0.5], observed: [0.6, 0.5], pairs: 300, brierBefore: 0, brierAfter: 0)),
          ])
    func malformedRefused(expected: String, map: Recalibration) throws {
        var document = RouterFixture.document()
        document.router!.recalibration = [map]
        #expect { try RouterSnapshot(document: document) } throws: { error in
            let text = "\(error)"
            return text.contains("router.recalibration[0]") && text.contains(expected) && text.contains("assay catalog build")
        }
    }

    @Test("a catalog file with two maps for one estimator, or knots out of range in its JSON, is refused at load")
    func hostileFileRefused() throws {
        var document = RouterFixture.document()
        let good = Recalibration(estimator: "task-quality", predicted: [0.2, 0.8], observed: [0.1, 0.6], pairs: 300, brierBefore: 0, brierAfter: 0)
        document.router!.recalibration = [good, good]
        #expect { try RouterSnapshot(document: document) } throws: { error in "\(error)".contains("a second map for 'task-quality'") }
        document.router!.recalibration = [good]
        let data = try CatalogDocument.encoder().encode(document)
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var router = try #require(json["router"] as? [String: Any])
        var maps = try #require(router["recalibration"] as? [[String: Any]])
        maps[0]["observed"] = [-3, 0.6]
        router["recalibration"] = maps
        json["router"] = router
        let edited = try JSONSerialization.data(withJSONObject: json)
        #expect { try RouterSnapshot(data: edited) } throws: { error in "\(error)".contains("in [0, 1]") }
    }

    @Test("router eval lists each decile with its Wilson interval, counts only deciles of 30 or more, and reports raw and recalibrated")
    func evaluationDeciles() throws {
        let builder = CatalogBuilder(margin: 0.02, prices: [:], prompts: RouterFixture.prompts)
        let splits = HoldOut.splits(facts: RouterFixture.facts(items: RouterFixture.items), folds: 3, builder: builder)
        let result = try RouterEvaluation.evaluate(splits: splits, options: RouterOptions(margin: 0.05))
        let names = Set(result.calibration.map(\.policy))
        for policy in ["task-quality (every entry)", "task-quality (every entry, raw)", "router-nearest-items+task (every entry, raw)",
                       "router-prompt-logistic+task (every entry)"] {
            #expect(names.contains(policy), "\(names.sorted())")
        }
        for calibration in result.calibration {
            for decile in calibration.deciles {
                #expect(decile.observedLow <= decile.meanObserved + 1e-9 && decile.meanObserved <= decile.observedHigh + 1e-9)
            }
            let counted = calibration.deciles.filter { $0.count >= 30 }.map { abs($0.meanPredicted - $0.meanObserved) }
            #expect(calibration.maxDecileGap == counted.max())
            #expect(calibration.withinTarget == ((counted.max() ?? 0) <= 0.05))
        }
    }
}
