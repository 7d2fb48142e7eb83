import AssayCatalogFormat
import AssayCore
import AssaySuites
import Foundation

/// What it would take to settle one undecided verdict of the catalog: the catalog's own estimate
/// (`items_to_settle`, from the decision rule it used) of how many more items like the measured
/// ones would take the posterior probability of being within the margin of the best to 95% or
/// 5%, and what measuring that entry and the best on them would cost at their measured mean
/// cost per item. More epochs on the same items add no item, so they cannot settle it: the
/// planner schedules none, and says instead what would (`settledBy`).
package struct Settling: Sendable, Encodable, Hashable {
    /// What would settle the verdict. Never another epoch.
    package enum SettledBy: String, Sendable, Encodable, Hashable {
        /// `itemsToSettle` more items in the task's suites (then a run measures the entry and the best on them).
        case moreItems = "more_items"
        /// Nothing: 64× the items would not settle it (the entry sits on the margin).
        case nothing
    }

    package var task: String
    package var entry: EntryKey
    package var best: EntryKey
    package var probabilityWithinMargin: Double?
    /// Items the entry shares with the best now.
    package var sharedItems: Int
    /// More items needed; nil when 64× the items would not settle it (the entry sits on the margin).
    package var itemsToSettle: Int?
    package var costPerItemNusd: Int64
    package var bestCostPerItemNusd: Int64
    /// items_to_settle × (the entry's + the best's mean cost per item); nil with items_to_settle.
    package var estimatedCostNusd: Int64?
    /// Items the task's suites hold now (nil when none of the suites given is of this task).
    package var taskItems: Int?
    package var settledBy: SettledBy { itemsToSettle == nil ? .nothing : .moreItems }

    enum CodingKeys: String, CodingKey {
        case task, entry, best, probabilityWithinMargin = "probability_within_margin", sharedItems = "shared_items"
        case itemsToSettle = "items_to_settle", costPerItemNusd = "cost_per_item_nusd"
        case bestCostPerItemNusd = "best_cost_per_item_nusd", estimatedCostNusd = "estimated_cost_nusd"
        case taskItems = "task_items", settledBy = "settled_by"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(entry.description, forKey: .entry)
        try container.encode(best.description, forKey: .best)
        try container.encode(probabilityWithinMargin, forKey: .probabilityWithinMargin)
        try container.encode(sharedItems, forKey: .sharedItems)
        try container.encode(itemsToSettle, forKey: .itemsToSettle)
        try container.encode(costPerItemNusd, forKey: .costPerItemNusd)
        try container.encode(bestCostPerItemNusd, forKey: .bestCostPerItemNusd)
        try container.encode(estimatedCostNusd, forKey: .estimatedCostNusd)
        try container.encode(taskItems, forKey: .taskItems)
        try container.encode(settledBy, forKey: .settledBy)
    }

    /// Every undecided verdict of `document`, by task, then by the items it needs (unsettleable last);
    /// `suites` give each task's item count.
    package static func all(in document: CatalogDocument, suites: [Suite] = []) -> [Settling] {
        let taskItems = Dictionary(suites.map { ($0.task, $0.items.count) }, uniquingKeysWith: +)
        var result: [Settling] = []
        for section in document.tasks {
            guard let bestRef = section.best,
                  let best = section.entries.first(where: { $0.model == bestRef.model && $0.effort == bestRef.effort }) else { continue }
            for entry in section.entries where entry.verdict == .undecided {
                guard let comparison = entry.comparison else { continue }
                let items = comparison.itemsToSettle
                result.append(Settling(
                    task: section.task, entry: entry.key, best: best.key, probabilityWithinMargin: entry.probabilityWithinMargin,
                    sharedItems: comparison.sharedItems, itemsToSettle: items, costPerItemNusd: entry.costPerTaskNusd,
                    bestCostPerItemNusd: best.costPerTaskNusd,
                    estimatedCostNusd: items.map { Int64($0) * (entry.costPerTaskNusd + best.costPerTaskNusd) },
                    taskItems: taskItems[section.task]))
            }
        }
        return result.sorted { ($0.task, $0.itemsToSettle ?? .max, $0.entry.description) < ($1.task, $1.itemsToSettle ?? .max, $1.entry.description) }
    }

    /// The undecided verdicts of the catalog in `catalogDirectory`; none when there is no readable catalog.
    package static func read(catalogDirectory: String, suites: [Suite] = []) -> [Settling] {
        guard let document = try? CatalogDocument.read(path: catalogDirectory + "/catalog.json") else { return [] }
        return all(in: document, suites: suites)
    }
}
