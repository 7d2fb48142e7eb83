import AssayCatalogFormat
import AssayCore
import AssayRouter
import ArgumentParser
import Foundation

/// `assay cascade eval` and `assay cascade plan`: worker/advisor cascades replayed on stored answers.
struct CascadeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cascade", abstract: "Replay worker/advisor cascades on stored results, and choose them per task.",
        subcommands: [Eval.self, Plan.self])

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay one cascade on held-out items, swept over its check's threshold.",
            discussion: """
                The worker's stored answer is kept unless the check doubts it; then the advisor's stored \
                answer is used instead. Every call is priced: the worker, the check (a second answer or a \
                judge call) and the advisor when asked. Checks: 'estimate' (the router's per-request \
                estimate of the worker, from a catalog built without the item; no call), 'judge' (the \
                judge's stored verdict of the worker's answer, priced as one judge call: the grade of a \
                judge-graded item, else the verdict 'assay regrade --judge-check' stored), 'agreement' \
                (the worker's answer in another stored epoch) or 'agreement:<entry>' (another entry's \
                answer). Reported against always-best, the single-pick router and the oracle, with the \
                paired 95% interval of the quality difference and the check's false-doubt and \
                false-trust rates. See docs/cascades.md.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "The worker entry, provider/model@effort.") var worker: String
        @Option(help: "The advisor entry, provider/model@effort.") var advisor: String
        @Option(help: "The check: estimate, judge, agreement, or agreement:<entry> (default estimate).") var check = "estimate"
        @Option(help: "Only this task's items (default: every task).") var task: String?
        @Option(help: "Suite folder: the items' prompts (default: 'suites' in the config).") var suites: String?
        @Option(help: "Folds: each item is held out in one of them (default 3).") var folds = 3
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard folds >= 2 && folds <= 50 else { throw ValidationError("--folds is between 2 and 50") }
            guard CascadeCheck(argument: check) != nil else {
                throw ValidationError("--check is estimate, judge, agreement or agreement:<provider/model@effort>, not '\(check)'")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let items = try CascadeItems.load(global: global, suites: suites, folds: folds)
                let evaluation = try CascadeEvaluation.checked(
                    CascadeSpec(worker: worker, advisor: advisor, check: CascadeCheck(argument: check)!), items: items, task: task)
                if json { try printJSON(evaluation, encoder: CatalogDocument.encoder()) } else { print(CascadeText.render(evaluation)) }
            }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per task, the best worker/advisor/check/threshold chosen on half the held-out items and reported on the other.",
            discussion: """
                Tries the three best entries as advisors, every cheaper entry as worker, and the \
                estimate, judge (where verdicts are stored), same-worker agreement (where a second \
                epoch is stored) and agreement with the three cheapest entries as checks, at each \
                check's thresholds. Keeps the cheapest cascade that reaches the best single entry's \
                quality for less on the selection half, and reports it on the other half with the \
                paired interval against the best single pick and always-best; says so when none does. \
                A cascade's cost counts its check's calls, so a dear check loses to a cheap one of the \
                same quality; --max-check-share (20% by default) also refuses cascades whose check costs \
                more than that share of the worker's. The report ends with what the checks add to the \
                workers' cost, per task and on average.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Suite folder: the items' prompts (default: 'suites' in the config).") var suites: String?
        @Option(help: "Folds: each item is held out in one of them (default 3).") var folds = 3
        @Option(help: "Only cascades whose check costs at most this share of the worker's cost (0.2 is 20%; a large value such as 100 lifts the limit).")
        var maxCheckShare = 0.2
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard folds >= 2 && folds <= 50 else { throw ValidationError("--folds is between 2 and 50") }
            if !(maxCheckShare.isFinite && maxCheckShare >= 0) {
                throw ValidationError("--max-check-share is a share of the worker's cost, 0 or more (0.2 for 20%), not \(maxCheckShare)")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let plan = CascadePlan.plan(items: try CascadeItems.load(global: global, suites: suites, folds: folds),
                                            maxCheckShare: maxCheckShare)
                if json { try printJSON(plan, encoder: CatalogDocument.encoder()) } else { print(CascadeText.render(plan)) }
            }
        }
    }
}
