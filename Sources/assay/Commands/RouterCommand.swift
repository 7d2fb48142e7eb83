import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayHarness
import AssayRouter
import ArgumentParser
import Foundation

/// `assay router eval`: how routing would have done on stored results.
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Evaluate the router on stored results.", subcommands: [Eval.self])

    /// The router's snapshot of the catalog at `path`.
    static func snapshot(path: String) throws -> RouterSnapshot {
        do { return try RouterSnapshot(document: try CatalogDocument.read(path: path)) } catch let error as RouterLoadError {
            throw AssayError(.catalog, "\(path): \(error.message)", hint: "rebuild it with 'assay catalog build'")
        }
    }

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay routing on held-out items: the router against always-best, per-task-best, always-cheapest, random and the oracle.",
            discussion: """
                Splits the items into folds (by a hash of suite and item); for each fold, builds a \
                catalog, classifier and estimator from the other folds only, then routes each of the \
                fold's prompts and scores the chosen entry with its stored result. Sweeps the utility objective's \
                λ for the cost–quality curve and its area (AIQ). Exits 3 when the router misses the \
                target (95% of always-best's quality at no more than 40% of its cost). Always-best is the \
                one model+effort with the highest quality over every task, where all traffic goes without \
                a router; per-task-best is each task's own best entry; per-task-pick is each task's \
                'assay catalog best' pick (the static table). Each router (as served; nearest items and the \
                learned prompt-logistic estimator forced) is compared item by item with the table and \
                always-best (paired 95% intervals, the share of the oracle's saving captured) and its \
                predicted success is checked for calibration (Brier, deciles). Items sharing a cluster \
                are held out together.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Suite folder: the items' prompts (default: 'suites' in the config).") var suites: String?
        @Option(help: "Folds: each item is held out in one of them (default 3).") var folds = 3
        @Option(help: "Quality margin of the cheapest objective (default: the config's, 0.02).") var margin: Double?
        @Option(help: "Mix estimates over the plausible tasks when the classifier's posterior is below this (default 0.9; 0: never).")
        var uncertainBelow: Double?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard folds >= 2 && folds <= 50 else { throw ValidationError("--folds is between 2 and 50") }
            if let uncertainBelow, !(0...1.01).contains(uncertainBelow) { throw ValidationError("--uncertain-below is between 0 and 1") }
        }

        func run() async throws {
            try await reportingErrors {
                let stored = try StoredSamples.load(global: global, suites: suites, margin: margin)
                let evaluation: RouterEvaluation
                do {
                    var options = RouterOptions()
                    if let uncertainBelow { options.uncertainBelow = uncertainBelow }
                    evaluation = try RouterEvaluation.evaluate(splits: stored.splits(folds: folds),
                                                               options: options)
                } catch let error as RouterLoadError {
                    throw AssayError(.catalog, error.message)
                }
                if json { try printJSON(evaluation, encoder: CatalogDocument.encoder()) } else { print(Self.render(evaluation)) }
                if !evaluation.target.met { throw ExitCode(3) }
            }
        }

        static func render(_ evaluation: RouterEvaluation) -> String {
            func row(_ point: RouterEvaluation.Point) -> String {
                let name = point.lambda.map { "utility λ=\(Money.fixed($0, digits: $0 < 10 ? 1 : 0))" } ?? point.policy
                return "  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(Format.percent(point.quality).padding(toLength: 7, withPad: " ", startingAt: 0)) \(Money(nanoUSD: Int64(point.costNusd.rounded())))/item"
            }
            var lines = ["\(evaluation.heldOutItems) items, each held out once; classifier accuracy \(Format.percent(evaluation.classifierAccuracy))",
                         "policies (quality, mean cost):"]
            lines += evaluation.policies.map(row)
            lines.append("utility sweep:")
            lines += evaluation.sweep.map(row)
            lines.append("AIQ \(Money.fixed(evaluation.aiq.router, digits: 3)) (cheapest/best mix \(Money.fixed(evaluation.aiq.cheapestBestMix, digits: 3)))")
            if let saved = evaluation.costSavedAtEqualQuality {
                lines.append("cost saved at always-best's quality: \(Format.percent(saved))")
            } else {
                lines.append("cost saved at always-best's quality: never reaches it")
            }
            if let router = evaluation.policies.first, let perTask = evaluation.policies.first(where: { $0.policy == "per-task-best" }),
               perTask.quality > 0, perTask.costNusd > 0 {
                lines.append("default router against per-task-best: \(Format.percent(router.quality / perTask.quality)) of its quality at "
                             + "\(Format.percent(router.costNusd / perTask.costNusd)) of its cost")
            }
            lines += renderTruth(evaluation)
            let target = evaluation.target
            lines.append("target (≥95% of always-best quality at ≤40% of its cost): \(target.met ? "met" : "NOT met") by the default objective — "
                         + "\(Format.percent(target.qualityRatio)) of its quality at \(Format.percent(target.costRatio)) of its cost; "
                         + (target.metAtLambdas.isEmpty ? "by no utility λ" : "met by utility λ = " + target.metAtLambdas.map { Money.fixed($0, digits: $0 < 10 ? 1 : 0) }.joined(separator: ", ")))
            return lines.joined(separator: "\n")
        }

        /// The paired comparisons against the per-task table and always-best, and calibration.
        static func renderTruth(_ evaluation: RouterEvaluation) -> [String] {
            func points(_ interval: RouterEvaluation.Interval) -> String {
                "\(Money.fixed(interval.mean * 100, digits: 2)) [\(Money.fixed(interval.low * 100, digits: 2)), \(Money.fixed(interval.high * 100, digits: 2))]"
            }
            var lines = ["paired on the held-out items (held out by \(evaluation.heldOutBy)); quality in points, 95% intervals:"]
            for comparison in evaluation.comparisons {
                let captured = comparison.oracleHeadroomCaptured.map { ", \(Format.percent($0)) of the oracle's saving" } ?? ""
                lines.append("  \(comparison.policy) vs \(comparison.against): quality \(points(comparison.qualityDifference)), cost "
                             + "\(Format.percent(comparison.costRatio)) of its (\(comparison.equalQuality ? "equal quality" : "quality differs by more than 1 point"))"
                             + captured)
            }
            let minimum = RouterEvaluation.Calibration.minimumDecile
            lines.append("calibration of the predicted success (Brier; task-level quality's Brier; worst gap over deciles with at least "
                         + "\(minimum) predictions, target 5 points; observed rates with 95% Wilson intervals; raw: before the catalog's recalibration):")
            for calibration in evaluation.calibration {
                let gap = calibration.maxDecileGap.map { Format.percent($0) } ?? "n/a"
                lines.append("  \(calibration.policy): Brier \(Money.fixed(calibration.brier, digits: 4)) (task quality \(Money.fixed(calibration.taskQualityBrier, digits: 4))), "
                             + "\(calibration.predictions) predictions, worst decile gap \(gap) (\(calibration.withinTarget ? "within" : "over") 5 points)")
                for decile in calibration.deciles {
                    let small = decile.count < minimum ? ", under \(minimum): not counted" : ""
                    lines.append("    \(Money.fixed(decile.low, digits: 1))–\(Money.fixed(decile.high, digits: 1)): \(decile.count) predicted "
                                 + "\(Format.percent(decile.meanPredicted)) observed \(Format.percent(decile.meanObserved)) "
                                 + "[\(Format.percent(decile.observedLow)), \(Format.percent(decile.observedHigh))]\(small)")
                }
            }
            return lines
        }
    }
}
