import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import AssaySuites
import Foundation

/// `assay plan`: what a run would measure, why, and what it would cost — ordered so a budget
/// buys the most information first: new models and new suites, then new efforts, new suite
/// versions, gaps and stale results. An undecided verdict schedules nothing: the catalog's rule
/// weighs items, so another epoch on the same items cannot settle it; `Settling` says how many
/// more items would.
package struct Planner: Sendable {
    package enum Reason: String, Sendable, Codable, CaseIterable {
        case newModel = "new_model"
        /// No model has an `ok` sample on any version of the suite (a new task, e.g. from `suites from-traffic`).
        case newSuite = "new_suite"
        case newEffort = "new_effort"
        case newSuiteVersion = "new_suite_version"
        case missingSamples = "missing_samples"
        case stale

        /// Lower runs first.
        var priority: Int { Reason.allCases.firstIndex(of: self)! }

        package var explanation: String {
            switch self {
            case .newModel: "new model: nothing measured yet"
            case .newSuite: "new suite: no model measured yet"
            case .newEffort: "new effort for a measured model"
            case .newSuiteVersion: "the suite changed since it was measured"
            case .missingSamples: "some items have no successful sample"
            case .stale: "the newest result is older than the age limit"
            }
        }
    }

    package struct Entry: Sendable, Codable, Hashable {
        package var job: JobSpec
        package var task: String
        package var reason: Reason
        package var items: Int
        package var estimatedCostNusd: Int64

        enum CodingKeys: String, CodingKey {
            case job, task, reason, items, estimatedCostNusd = "estimated_cost_nusd"
        }
    }

    package struct Plan: Sendable, Encodable {
        package var entries: [Entry]
        package var skipped: [String]
        /// The catalog's undecided verdicts and what more items would settle each (`assay plan`).
        package var settling: [Settling] = []
        package var estimatedCostNusd: Int64 { entries.reduce(0) { $0 + $1.estimatedCostNusd } }
        package var requests: Int { entries.reduce(0) { $0 + $1.items } }

        enum CodingKeys: String, CodingKey { case entries, skipped, estimatedCostNusd = "estimated_cost_nusd", requests, settling }
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(entries, forKey: .entries)
            try container.encode(skipped, forKey: .skipped)
            try container.encode(estimatedCostNusd, forKey: .estimatedCostNusd)
            try container.encode(requests, forKey: .requests)
            try container.encode(settling, forKey: .settling)
        }
    }

    package let config: AssayConfig
    package let database: AssayDatabase

    package init(config: AssayConfig, database: AssayDatabase) {
        self.config = config
        self.database = database
    }

    /// The plan for `models` on `suites`; `now` dates staleness.
    package func plan(models: [AssayConfig.ModelEntry], suites: [Suite], now: Date = Date()) throws -> Plan {
        let coverage = try database.coverage()
        let prices = try database.currentPrices()
        var byCell: [CellKey: [AssayDatabase.Coverage]] = [:]
        var modelsMeasured: Set<ModelRef> = [], effortsMeasured: Set<EntryKey> = [], suiteHashesMeasured: [String: Set<String>] = [:]
        var suiteTokens: [String: (input: Double, output: Double, n: Int)] = [:]
        for cell in coverage {
            byCell[CellKey(model: cell.model, effort: cell.effort, suiteSHA256: cell.suiteSHA256), default: []].append(cell)
            modelsMeasured.insert(cell.model)
            effortsMeasured.insert(EntryKey(model: cell.model.description, effort: cell.effort))
            let tokens = suiteTokens[cell.suiteSHA256 + "|" + cell.effort] ?? (0, 0, 0)
            suiteTokens[cell.suiteSHA256 + "|" + cell.effort] = (tokens.input + cell.meanInputTokens, tokens.output + cell.meanOutputTokens, tokens.n + 1)
        }
        let hashToSuite = try database.suiteNamesByHash()
        for cell in coverage { if let name = hashToSuite[cell.suiteSHA256] { suiteHashesMeasured[name, default: []].insert(cell.suiteSHA256) } }
        let staleBefore = now.addingTimeInterval(-Double(config.nightly.maxAgeDays) * 86_400)

        var entries: [Entry] = [], skipped: [String] = []
        for model in models {
            let price = prices[model.ref] ?? model.price ?? PriceSheet()
            if price.isEmpty {
                skipped.append("\(model.ref): no price known (add one under models: or run 'assay prices scrape'), so its cost cannot be bounded")
                continue
            }
            for effort in config.efforts(for: model) {
                if let why = config.unsupportedReason(effort, for: model) {
                    skipped.append("\(model.ref) @ \(effort.rawValue): \(why)")
                    continue
                }
                for suite in suites {
                    let cells = byCell[CellKey(model: model.ref, effort: effort.rawValue, suiteSHA256: suite.contentSHA256)] ?? []
                    let epochs = max(1, config.epochs)
                    var reason: Reason?
                    var epoch = 0
                    var items = suite.items.count
                    if !modelsMeasured.contains(model.ref) {
                        reason = .newModel
                    } else if !effortsMeasured.contains(EntryKey(model.ref, effort)) {
                        reason = .newEffort
                    } else if cells.isEmpty {
                        let measured = suiteHashesMeasured[suite.name] ?? []
                        let measuredBefore = !measured.subtracting([suite.contentSHA256]).isEmpty
                        reason = measured.isEmpty ? .newSuite : measuredBefore ? .newSuiteVersion : .missingSamples
                    } else if let gap = (0..<epochs).first(where: { e in (cells.first { $0.epoch == e }?.okSamples ?? 0) < suite.items.count }) {
                        reason = .missingSamples
                        epoch = gap
                        items = suite.items.count - (cells.first { $0.epoch == gap }?.okSamples ?? 0)
                    } else if let newest = cells.map(\.newest).max(), newest < staleBefore {
                        reason = .stale
                        epoch = (cells.map(\.epoch).max() ?? 0) + 1
                    }
                    guard let reason else { continue }
                    let perItem = Self.perItemCost(cells: cells, typical: suiteTokens[suite.contentSHA256 + "|" + effort.rawValue],
                                                   suite: suite, price: price)
                    let epochsToRun = [.newModel, .newSuite, .newEffort, .newSuiteVersion].contains(reason) ? epochs : 1
                    for extra in 0..<epochsToRun {
                        entries.append(Entry(job: JobSpec(model: model.ref, effort: effort, suite: suite.name, epoch: epoch + extra),
                                             task: suite.task, reason: reason, items: items,
                                             estimatedCostNusd: Int64((perItem * Double(items)).rounded(.up))))
                    }
                }
            }
        }
        entries.sort { ($0.reason.priority, $0.estimatedCostNusd) < ($1.reason.priority, $1.estimatedCostNusd) }
        return Plan(entries: entries, skipped: skipped)
    }

    /// Expected cost of one item: this entry's own mean when measured; else the suite's typical
    /// tokens at this effort (over the models measured) at this model's prices; else the prompt
    /// at four characters a token and 512 output tokens.
    static func perItemCost(cells: [AssayDatabase.Coverage], typical: (input: Double, output: Double, n: Int)?, suite: Suite,
                            price: PriceSheet) -> Double {
        if !cells.isEmpty {
            let n = cells.reduce(0) { $0 + $1.okSamples }
            return cells.reduce(0.0) { $0 + $1.meanCostNusd * Double($1.okSamples) } / Double(max(1, n))
        }
        let input: Double, output: Double
        if let typical, typical.n > 0 {
            input = typical.input / Double(typical.n)
            output = typical.output / Double(typical.n)
        } else {
            let bytes = suite.items.reduce(0) { $0 + $1.renderedPrompt.utf8.count } / max(1, suite.items.count)
            input = Double(bytes + (suite.system?.utf8.count ?? 0)) / 4
            output = 512
        }
        return Double(price.cost(of: Usage(inputTokens: Int(input.rounded()), outputTokens: Int(output.rounded()))).nanoUSD)
    }

    struct CellKey: Hashable {
        var model: ModelRef
        var effort: String
        var suiteSHA256: String
    }
}
