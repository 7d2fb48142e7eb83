import AssayCatalogFormat
import AssayCore
import AssayRouter

/// The human-readable reports of `assay cascade eval` and `assay cascade plan`.
enum CascadeText {
    static func money(_ nanoUSD: Double) -> String { Money(nanoUSD: Int64(nanoUSD.rounded())).description }

    static func points(_ interval: CascadeEvaluation.Interval) -> String {
        func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + Money.fixed(value * 100, digits: 1) }
        return "\(signed(interval.mean)) pts [\(signed(interval.low)), \(signed(interval.high))]"
    }

    static func share(_ value: Double?) -> String { value.map(Format.percent) ?? "n/a" }

    static func render(_ evaluation: CascadeEvaluation) -> String {
        let spec = evaluation.spec
        var lines = ["cascade: worker \(spec.worker), advisor \(spec.advisor), check \(spec.check) — "
                     + "\(evaluation.items) held-out items\(evaluation.task.map { " of \($0)" } ?? "")",
                     "baselines (quality, mean cost per item):"]
        for point in evaluation.baselines {
            lines.append("  \(point.policy.padding(toLength: 12, withPad: " ", startingAt: 0)) \(Format.percent(point.quality).padding(toLength: 7, withPad: " ", startingAt: 0)) \(money(point.costNusd))")
        }
        lines.append("sweep (doubt below threshold): quality, cost, vs always-best (paired 95% interval), cost ÷ always-best, "
                     + "escalated, check cost ÷ worker cost, false doubt, false trust")
        for point in evaluation.sweep {
            lines.append("  t=\(Money.fixed(point.threshold, digits: 3))  \(Format.percent(point.quality))  \(money(point.costNusd))  "
                         + "\(points(point.versusAlwaysBest))  \(share(point.costRatioToAlwaysBest))  "
                         + "esc \(Format.percent(point.escalated))  check \(share(point.checkShareOfWorker))  "
                         + "doubt-right \(share(point.accuracy.falseDoubt))  trust-wrong \(share(point.accuracy.falseTrust))"
                         + (point.unchecked > 0 ? "  (\(point.unchecked) unchecked → advisor)" : ""))
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ plan: CascadePlan) -> String {
        var lines = ["cascade per task (chosen on one half of the held-out items, reported on the other):"]
        for task in plan.tasks {
            lines.append("\(task.task): \(task.selectionItems) + \(task.reportItems) items, \(task.tried) cascades tried")
            for point in task.baselines {
                let name = point.policy == "best-single" ? "best single (\(task.bestSingle ?? "-"))" : point.policy
                lines.append("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(Format.percent(point.quality).padding(toLength: 7, withPad: " ", startingAt: 0)) \(money(point.costNusd))")
            }
            if let chosen = task.cascade {
                let point = chosen.point
                lines.append("  cascade \(chosen.spec.worker) → \(chosen.spec.advisor), check \(chosen.spec.check) "
                             + "t=\(Money.fixed(point.threshold, digits: 3)): \(Format.percent(point.quality)) \(money(point.costNusd))")
                lines.append("    vs best single \(points(chosen.versusBestSingle)) at \(share(chosen.costRatioToBestSingle)) of its cost; "
                             + "vs always-best \(points(point.versusAlwaysBest)) at \(share(point.costRatioToAlwaysBest)) of its cost")
                lines.append("    escalated \(Format.percent(point.escalated)), check cost \(share(point.checkShareOfWorker)) of the worker's, "
                             + "false doubt \(share(point.accuracy.falseDoubt)), false trust \(share(point.accuracy.falseTrust))")
            }
            lines.append("  → \(task.verdict)")
        }
        if let cost = plan.checkCost, !cost.byTask.isEmpty {
            let tasks = cost.byTask.sorted { $0.key < $1.key }.map { "\($0.key) \(Format.percent($0.value))" }.joined(separator: ", ")
            lines.append("check cost ÷ worker cost (report half): \(tasks); mean of tasks \(share(cost.meanOfTasks)), "
                         + "pooled \(share(cost.pooled)); served cascades \(share(cost.servedMeanOfTasks))"
                         + (plan.maxCheckShare.map { " (chosen under --max-check-share \(Format.percent($0)))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
