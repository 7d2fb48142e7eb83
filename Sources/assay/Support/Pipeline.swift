import AssayCore
import AssayHarness
import Foundation
import Logging

/// What `run`, `demo` and `nightly` print and log alike.
enum Pipeline {
    static func logger() -> Logger {
        var logger = Logger(label: "assay")
        logger.logLevel = ProcessInfo.processInfo.environment["ASSAY_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }

    static func printSummary(_ summary: RunSummary) {
        let budget = summary.budgetNanoUSD.map { " of budget \(Money(nanoUSD: $0))" } ?? ""
        let judge = summary.judgeSpentNanoUSD > 0 ? " (judge \(Money(nanoUSD: summary.judgeSpentNanoUSD)))" : ""
        var line = "run \(summary.runID) \(summary.status): \(summary.completed) samples stored, \(summary.errors) errors, "
            + "\(summary.alreadyStored) already stored, spent \(Money(nanoUSD: summary.spentNanoUSD))\(judge)\(budget), "
            + "\(Money.fixed(summary.elapsedSeconds, digits: 1))s"
        if summary.stoppedByBudget { line += " (stopped: budget reached)" }
        if summary.status == .interrupted { line += " — rerun the same command to finish; stored samples are not asked again" }
        print(line)
        if !summary.errorKinds.isEmpty {
            print("errors by kind: " + summary.errorKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for skip in summary.skipped {
            print("skipped \(skip.model) @ \(skip.effort): \(skip.reason)")
        }
    }
}
