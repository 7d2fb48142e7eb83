import AssayCatalogFormat
import AssayCore
import Foundation

/// What `assay serve` runs for the cascade objective: per task, the worker, advisor, check and
/// threshold `assay cascade plan` chose (the file `assay cascade plan --json` writes, named by
/// `serve.cascade.plan`), or why the task has none and is routed as a single pick
/// (docs/cascades.md, "In the server").
package struct CascadeRoutes: Sendable, Equatable {
    /// One task's cascade, as the plan measured it.
    package struct Route: Sendable, Equatable {
        package var spec: CascadeSpec
        package var threshold: Double
        package var worker: EntryKey
        package var advisor: EntryKey
        /// The agreement check's second entry (the worker itself for `agreement`); nil for other checks.
        package var partner: EntryKey?
        /// The judge check's judge, as the plan measured it (nil: the plan does not say).
        package var judge: ModelRef?
    }

    package var routes: [String: Route]
    /// Tasks the plan names without a cascade the server runs, and why.
    package var skipped: [String: String]

    /// The served cascades of `plan`: those it chose and verdicted as beating the best single
    /// pick. A `judge` check asks the server's judge (`judge:` in `assay.yaml`; `usesJudge` says
    /// whether one is needed).
    package init(plan: CascadePlan) throws(CascadeRoutesError) {
        routes = [:]
        skipped = [:]
        for (index, task) in plan.tasks.enumerated() {
            let field = "tasks[\(index)] (\(task.task))"
            guard let chosen = task.cascade, Self.beatsSinglePick(chosen) else {
                skipped[task.task] = "no cascade beats its single pick (\(task.verdict.prefix(160)))"
                continue
            }
            guard let worker = EntryKey(chosen.spec.worker), ModelRef(worker.model) != nil else {
                throw CascadeRoutesError("\(field).cascade.spec.worker '\(chosen.spec.worker.prefix(80))' is not provider/model@effort")
            }
            guard let advisor = EntryKey(chosen.spec.advisor), ModelRef(advisor.model) != nil else {
                throw CascadeRoutesError("\(field).cascade.spec.advisor '\(chosen.spec.advisor.prefix(80))' is not provider/model@effort")
            }
            let threshold = chosen.point.threshold
            guard threshold.isFinite, (0...1).contains(threshold) else {
                throw CascadeRoutesError("\(field).cascade.point.threshold must be between 0 and 1, found \(threshold)")
            }
            var partner: EntryKey?
            var judge: ModelRef?
            switch chosen.spec.check {
            case .judge:
                if let name = chosen.judge {
                    guard let ref = ModelRef(name) else {
                        throw CascadeRoutesError("\(field).cascade.judge '\(name.prefix(80))' is not provider/model")
                    }
                    judge = ref
                }
            case .estimate:
                break
            case .agreement(let name):
                guard let key = name.map(EntryKey.init) ?? worker, ModelRef(key.model) != nil else {
                    throw CascadeRoutesError("\(field).cascade.spec.check '\(chosen.spec.check.description.prefix(80))' names no provider/model@effort")
                }
                partner = key
            }
            routes[task.task] = Route(spec: chosen.spec, threshold: threshold, worker: worker, advisor: advisor, partner: partner, judge: judge)
        }
    }

    /// The tasks whose served cascade's check is the judge: the server needs a judge to run them.
    package var judgedTasks: [String] {
        routes.filter { $0.value.spec.check == .judge }.keys.sorted()
    }

    /// The judges the plan's judge checks were measured with, and a task of each.
    package var measuredJudges: [ModelRef: String] {
        var judges: [ModelRef: String] = [:]
        for (task, route) in routes.sorted(by: { $0.key < $1.key }) {
            if let judge = route.judge, judges[judge] == nil { judges[judge] = task }
        }
        return judges
    }

    /// Throws unless `judge` can run every judge check: one is configured, and it is the judge
    /// each check was measured with (another judge's verdicts would not be the plan's).
    package func checkJudge(_ judge: ModelRef?) throws(CascadeRoutesError) {
        guard let task = judgedTasks.first else { return }
        guard let judge else {
            throw CascadeRoutesError("task \(task)'s cascade checks the worker with the judge, but assay.yaml names no judge")
        }
        if let (other, task) = measuredJudges.first(where: { $0.key != judge }) {
            throw CascadeRoutesError("task \(task)'s judge check was measured with the judge \(other), but assay.yaml's judge is \(judge)")
        }
    }

    /// What `CascadePlan`'s verdict calls beating the best single pick: at or above its quality
    /// on the report half (paired mean difference), for less.
    static func beatsSinglePick(_ chosen: CascadePlan.Chosen) -> Bool {
        chosen.versusBestSingle.mean >= -1e-12 && (chosen.costRatioToBestSingle ?? 1) < 1
    }

    /// Reads the plan at `path` (`assay cascade plan --json > plan.json`).
    package init(path: String) throws(AssayError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw AssayError(.config, "cannot read the cascade plan \(path): \(error.localizedDescription)",
                             hint: "write it with 'assay cascade plan --json > \(path)' or fix serve.cascade.plan")
        }
        let plan: CascadePlan
        do { plan = try CatalogDocument.decoder().decode(CascadePlan.self, from: data) } catch {
            throw AssayError(.config, "the cascade plan \(path) is not 'assay cascade plan --json' output: \(Self.describe(error))",
                             hint: "write it again with 'assay cascade plan --json > \(path)'")
        }
        do { try self.init(plan: plan) } catch {
            throw AssayError(.config, "the cascade plan \(path): \(error.message)", hint: "write it again with 'assay cascade plan --json > \(path)'")
        }
    }

    /// A decoding error as the field it is about (named as in the file) and what was wrong.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func name(_ key: any CodingKey) -> String {
            key.intValue.map { "[\($0)]" } ?? "." + key.stringValue.reduce(into: "") { $0 += $1.isUppercase ? "_" + $1.lowercased() : String($1) }
        }
        func path(_ context: DecodingError.Context) -> String { context.codingPath.map(name).joined().trimmingPrefix(".").description }
        switch error {
        case .keyNotFound(let key, let context): return (path(context) + name(key)).trimmingPrefix(".").description + " is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "the file" : path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A cascade plan the server cannot run: names the field and what is wrong.
package struct CascadeRoutesError: Error, Sendable, Equatable {
    package var message: String
    package init(_ message: String) { self.message = message }
}
