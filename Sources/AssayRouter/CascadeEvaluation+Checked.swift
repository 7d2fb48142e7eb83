import AssayCore

extension CascadeEvaluation {
    /// `evaluate`, after checking that the task, the worker, the advisor and the check's inputs
    /// are in `items`: a misspelt entry would otherwise replay as a cascade that never answers.
    package static func checked(_ spec: CascadeSpec, items: [CascadeItem], task: String?) throws -> CascadeEvaluation {
        let tasks = Set(items.map(\.task))
        if let task, !tasks.contains(task) {
            throw AssayError(.usage, "--task '\(task)' has no held-out items", hint: "tasks: \(tasks.sorted().joined(separator: ", "))")
        }
        let chosen = task.map { task in items.filter { $0.task == task } } ?? items
        let entries = Set(chosen.flatMap(\.outcomes.keys))
        let hint = "entries with stored answers\(task.map { " for \($0)" } ?? ""): \(entries.sorted().prefix(40).joined(separator: ", "))"
        for (flag, entry) in [("--worker", spec.worker), ("--advisor", spec.advisor)] where !entries.contains(entry) {
            throw AssayError(.usage, "\(flag) '\(entry)' has no stored answers on these items", hint: hint)
        }
        switch spec.check {
        case .agreement(let partner?) where !entries.contains(partner):
            throw AssayError(.usage, "--check agreement:\(partner) names an entry with no stored answers on these items", hint: hint)
        case .agreement(nil) where !chosen.contains(where: { $0.answers[spec.worker]?.otherEpochFingerprint != nil }):
            throw AssayError(.usage, "--check agreement needs a second stored answer of the worker (another epoch); there is none",
                             hint: "run the worker again with 'assay run --epochs 2', or use agreement:<entry>")
        case .judge where !chosen.contains(where: { $0.answers[spec.worker]?.judgeCostNusd != nil }):
            throw AssayError(.usage, "--check judge needs stored judge verdicts of the worker's answers, priced; there are none",
                             hint: "'assay regrade --judge-check' stores them for suites graded otherwise (judge-graded ones have them); the judge needs a price")
        default: break
        }
        return evaluate(spec, items: items, task: task)
    }
}
