import AssayCatalog
import AssayCore
import AssaySimulator
import AssayStore
import AssaySuites
import Foundation

/// Is the catalog a calibrated instrument? Runs the catalog pipeline over many zoo seeds (each a
/// fresh set of simulated answers to the shipped suites, graded as a run grades them) and
/// compares every entry with the quality its profile implies on those items (`simulate
/// --expected`): interval coverage by quality band and by task, pick correctness, and false
/// non-inferior / false inferior verdict rates.
///
///   swift run -c release catalog-calibration                 # 20 seeds
///   swift run -c release catalog-calibration --seeds 200 --epochs 3 --margin 0.02 --suites ../suites
@main
struct CatalogCalibration {
    struct Tally {
        var hits = 0, total = 0
        mutating func add(_ hit: Bool) { total += 1; if hit { hits += 1 } }
        var rate: String { total == 0 ? "—" : String(format: "%.1f%%", 100 * Double(hits) / Double(total)) }
        var text: String { "\(rate) (\(hits)/\(total))" }
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        func option(_ flag: String) -> String? {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.endIndex else { return nil }
            return arguments[index + 1]
        }
        let seeds = Int(option("--seeds") ?? "") ?? 20
        let margin = Double(option("--margin") ?? "") ?? 0.02
        let first = Int(option("--first-seed") ?? "") ?? 1
        let epochs = max(1, Int(option("--epochs") ?? "") ?? 1)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let suites = try SuiteLoader.loadAll(directory: option("--suites") ?? root + "/suites")
        let builtIn = try Zoo.builtIn()
        print("catalog calibration: \(seeds) zoo seeds from \(first), \(suites.count) suites, \(epochs) epoch\(epochs == 1 ? "" : "s"), margin \(margin), item_correlation \(builtIn.itemCorrelation)")

        let bands: [(name: String, range: Range<Double>)] = [("0–5%", 0..<0.05), ("5–90%", 0.05..<0.90), ("90–99%", 0.90..<0.99), ("99–100%", 0.99..<1.0001)]
        var coverageByBand = [Tally](repeating: Tally(), count: bands.count)
        var coverageByTask: [String: Tally] = [:]
        var exact = Tally(), withinMargin = Tally(), noPick = 0, cases = 0
        var wrong: [String] = [], wrongShown = 0
        var falseNonInferior = Tally(), falseInferior = Tally(), trulyWithinLabelled = Tally(), certifiedPicks = Tally()
        var labelledByTask: [String: Tally] = [:], falseNonInferiorByTask: [String: Tally] = [:], withinByTask: [String: Tally] = [:]
        var itemsByTask: [String: Int] = [:]
        let start = ContinuousClock.now
        for seed in first..<(first + seeds) {
            var zoo = builtIn
            zoo.seed = UInt64(seed)
            let behaviour = Behaviour(zoo: zoo)
            let expected = ExpectedCatalog(zoo: zoo, suites: suites, margin: margin)
            var truth: [String: [String: (quality: Double, cost: Int64)]] = [:]
            for task in expected.tasks {
                for entry in task.entries { truth[task.task, default: [:]]["\(entry.model)@\(entry.effort)"] = (entry.expectedQuality, entry.expectedCostPerTaskNusd) }
            }
            var facts: [SampleFact] = []
            for suite in suites {
                for model in zoo.models {
                    for effort in model.efforts.keys.sorted() {
                        let cost = truth[suite.task]?["\(zoo.provider)/\(model.id)@\(effort.rawValue)"]?.cost ?? 0
                        for item in suite.items {
                            for epoch in 0..<epochs {
                                let score = behaviour.simulatedScore(model: model, effort: effort, suite: suite, item: item, requestSeed: epoch)
                                facts.append(SampleFact(provider: zoo.provider, model: model.id, effort: effort.rawValue, task: suite.task,
                                                        suite: suite.name, itemKey: item.id, cluster: item.cluster, epoch: epoch,
                                                        score: score, costNusd: cost))
                            }
                        }
                    }
                }
            }
            let document = CatalogBuilder(margin: margin, prices: [:]).build(facts: facts)
            for section in document.tasks {
                guard let taskTruth = truth[section.task], let bestTruth = taskTruth.values.map(\.quality).max() else { continue }
                for entry in section.entries {
                    guard let q = taskTruth[entry.name]?.quality, let ci = entry.qualityCi else { continue }
                    let covered = ci[0] - 1e-9 <= q && q <= ci[1] + 1e-9
                    if let band = bands.firstIndex(where: { $0.range.contains(q) }) { coverageByBand[band].add(covered) }
                    coverageByTask[section.task, default: Tally()].add(covered)
                    guard entry.verdict != .best, let verdict = entry.verdict else { continue }
                    let trulyWithin = q >= bestTruth - margin - 1e-12
                    if trulyWithin {
                        falseInferior.add(verdict == .inferior)
                        trulyWithinLabelled.add(verdict == .nonInferior)
                        labelledByTask[section.task, default: Tally()].add(verdict == .nonInferior)
                    } else {
                        falseNonInferior.add(verdict == .nonInferior)
                        falseNonInferiorByTask[section.task, default: Tally()].add(verdict == .nonInferior)
                    }
                }
                cases += 1
                guard let pick = section.pick, let q = taskTruth[pick.name]?.quality else { noPick += 1; continue }
                let implied = expected.tasks.first { $0.task == section.task }?.pick
                exact.add(implied.map { "\($0.model)@\($0.effort)" } == pick.name)
                withinMargin.add(q >= bestTruth - margin - 1e-12)
                withinByTask[section.task, default: Tally()].add(q >= bestTruth - margin - 1e-12)
                itemsByTask[section.task] = section.items
                if q < bestTruth - margin - 1e-12, wrongShown < 12 {
                    wrongShown += 1
                    let p = section.entries.first { $0.name == pick.name }?.probabilityWithinMargin ?? 0
                    let observed = section.entries.first { $0.name == pick.name }?.quality ?? 0
                    wrong.append("  seed \(seed) \(section.task): picked \(pick.name) (observed \(percent(observed)), true \(percent(q)), P \(String(format: "%.2f", p))); true best \(percent(bestTruth))")
                }
                certifiedPicks.add(pick.certified == true)
            }
        }
        let seconds = Double(start.duration(to: .now).components.seconds) + Double(start.duration(to: .now).components.attoseconds) / 1e18
        print(String(format: "%d seeds in %.1f s", seeds, seconds))
        print("\n95% interval coverage by true quality (target 93–97% in every band):")
        for (band, tally) in zip(bands, coverageByBand) { print("  \(band.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(tally.text)") }
        print("\n95% interval coverage by task (target 93–97%):")
        for task in coverageByTask.keys.sorted() { print("  \(task.padding(toLength: 15, withPad: " ", startingAt: 0)) \(coverageByTask[task]!.text)") }
        print("\npicks over \(cases) (seed, task) cases (\(noPick) with no pick):")
        print("  exact (the profile's pick)        \(exact.text)")
        print("  truly within the margin of best   \(withinMargin.text)   (target ≥ 98%)")
        print("  wrong (truly below best − margin) \(Tally(hits: withinMargin.total - withinMargin.hits, total: withinMargin.total).text)")
        print("  certified (P ≥ 95%)               \(certifiedPicks.text)")
        if !wrong.isEmpty { print("  wrong picks (first \(wrong.count)):\n" + wrong.joined(separator: "\n")) }
        print("\nverdicts (entries other than the best):")
        print("  false non-inferior (truly below the margin, labelled non-inferior)  \(falseNonInferior.text)   (target ≤ 2.5%)")
        print("  false inferior (truly within the margin, labelled inferior)         \(falseInferior.text)")
        print("  truly within the margin and labelled non-inferior                   \(trulyWithinLabelled.text)   (target ≥ 50%)")
        print("\nby task: items, picks truly within the margin, false non-inferior, truly within and labelled non-inferior:")
        for task in coverageByTask.keys.sorted() {
            print("  \(task.padding(toLength: 15, withPad: " ", startingAt: 0)) \(itemsByTask[task] ?? 0) items  picks \(withinByTask[task]?.text ?? "—")  "
                  + "false NI \(falseNonInferiorByTask[task]?.text ?? "—")  labelled \(labelledByTask[task]?.text ?? "—")")
        }
    }
}
