import AssayCatalogFormat
import AssayCore

/// What changed between two catalogs, per task.
package struct CatalogDiff: Codable, Sendable {
    package struct Change: Codable, Sendable {
        package var task: String
        package var entry: String
        package var kind: String
        package var detail: String
    }

    package var changes: [Change]

    /// Entries `added`/`removed`; `moved` when quality changed by a point or more or the verdict
    /// changed; `price` when the cost per task changed while the samples did not; `pick` when the
    /// task's pick changed; tasks `added`/`removed`.
    package init(old: CatalogDocument, new: CatalogDocument) {
        var changes: [Change] = []
        for task in Set(old.taskNames).union(new.taskNames).sorted() {
            guard let before = old.section(task) else { changes.append(.init(task: task, entry: "", kind: "added", detail: "new task")); continue }
            guard let after = new.section(task) else { changes.append(.init(task: task, entry: "", kind: "removed", detail: "task gone")); continue }
            // A hand-edited file may repeat an entry; the first one counts.
            let oldEntries = Dictionary(before.entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let newEntries = Dictionary(after.entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for name in Set(oldEntries.keys).union(newEntries.keys).sorted() {
                switch (oldEntries[name], newEntries[name]) {
                case (nil, let e?):
                    changes.append(.init(task: task, entry: name, kind: "added", detail: "quality \(e.quality.map(Format.percent) ?? "—"), \(e.costPerTaskUsd)/task"))
                case (let e?, nil):
                    changes.append(.init(task: task, entry: name, kind: "removed", detail: "was quality \(e.quality.map(Format.percent) ?? "—")"))
                case (let a?, let b?):
                    let qualityMove = abs((b.quality ?? 0) - (a.quality ?? 0))
                    if qualityMove >= 0.01 || a.verdict != b.verdict {
                        changes.append(.init(task: task, entry: name, kind: "moved",
                                             detail: "quality \(a.quality.map(Format.percent) ?? "—") → \(b.quality.map(Format.percent) ?? "—"), verdict \(a.verdict?.rawValue ?? "—") → \(b.verdict?.rawValue ?? "—")"))
                    }
                    if a.n == b.n && a.costPerTaskAsRunNusd == b.costPerTaskAsRunNusd && a.costPerTaskNusd != b.costPerTaskNusd {
                        changes.append(.init(task: task, entry: name, kind: "price",
                                             detail: "cost per task \(a.costPerTaskUsd) → \(b.costPerTaskUsd) (same samples, new price)"))
                    }
                default: break
                }
            }
            let oldPick = before.pick?.name, newPick = after.pick?.name
            if oldPick != newPick {
                changes.append(.init(task: task, entry: newPick ?? "", kind: "pick", detail: "pick \(oldPick ?? "—") → \(newPick ?? "—")"))
            }
        }
        self.changes = changes
    }

    package var text: String {
        changes.map { "\($0.task): \($0.kind) \($0.entry)\($0.entry.isEmpty ? "" : ": ")\($0.detail)" }.joined(separator: "\n")
    }
}
