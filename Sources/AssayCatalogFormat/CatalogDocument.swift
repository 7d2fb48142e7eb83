import AssayCore
import Foundation

/// `catalog/catalog.json`, schema version 3 (docs/catalog-format.md). Money is integer
/// nano-USD; `*_usd` strings beside it are for people.
public struct CatalogDocument: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 3

    public var schemaVersion: Int
    public var generatedAt: String
    /// SHA-256 of the document's content with this field and `generated_at` left empty: the same
    /// measurements give the same hash.
    public var contentSha256: String
    public var margin: Double
    public var confidence: Double
    public var tasks: [TaskSection]
    /// What the router needs: features, classifier, items (docs/router.md).
    public var router: RouterSection? = nil
    /// The floor under every pick: an entry is only picked when its 95% interval's lower bound
    /// reaches this quality.
    public var minQuality: Double? = nil

    public init(schemaVersion: Int, generatedAt: String, contentSha256: String, margin: Double, confidence: Double,
                tasks: [TaskSection], router: RouterSection? = nil, minQuality: Double? = nil) {
        self.minQuality = minQuality
        self.schemaVersion = schemaVersion
        self.generatedAt = generatedAt
        self.contentSha256 = contentSha256
        self.margin = margin
        self.confidence = confidence
        self.tasks = tasks
        self.router = router
    }

    public struct TaskSection: Codable, Sendable, Equatable {
        public var task: String
        public var suites: [String]
        public var items: Int
        /// The entry with the highest quality.
        public var best: EntryRef?
        /// The cheapest entry shown non-inferior to the best: what `catalog best` answers.
        public var pick: Pick?
        /// Entries no cheaper entry matches in quality, cheapest first (the Pareto frontier).
        public var frontier: [EntryRef]
        /// For each model measured at several efforts: quality and cost at each effort.
        public var effortCurves: [EffortCurve]
        public var entries: [Entry]
        /// Why the task has no pick (no entry is shown to clear the quality floor).
        public var noPickReason: String? = nil

        public init(task: String, suites: [String], items: Int, best: EntryRef? = nil, pick: Pick? = nil,
                    frontier: [EntryRef], effortCurves: [EffortCurve], entries: [Entry], noPickReason: String? = nil) {
            self.noPickReason = noPickReason
            self.task = task
            self.suites = suites
            self.items = items
            self.best = best
            self.pick = pick
            self.frontier = frontier
            self.effortCurves = effortCurves
            self.entries = entries
        }
    }

    public struct EffortCurve: Codable, Sendable, Equatable {
        public var model: String
        public var points: [EffortPoint]
        /// The lowest effort that no higher effort beats significantly (paired, one-sided 95%);
        /// more effort than this buys no measurable quality.
        public var saturationEffort: String?

        public init(model: String, points: [EffortPoint], saturationEffort: String? = nil) {
            self.model = model
            self.points = points
            self.saturationEffort = saturationEffort
        }
    }

    public struct EffortPoint: Codable, Sendable, Equatable {
        public var effort: String
        public var quality: Double
        public var costPerTaskNusd: Int64

        public init(effort: String, quality: Double, costPerTaskNusd: Int64) {
            self.effort = effort
            self.quality = quality
            self.costPerTaskNusd = costPerTaskNusd
        }
    }

    /// A paired comparison of an entry with its task's best entry on the items both answered.
    public struct Comparison: Codable, Sendable, Equatable {
        public var sharedItems: Int
        /// Mean of (this entry's score − the best entry's score) per shared item.
        public var meanDifference: Double
        /// Two-sided 90% interval (one-sided 95% bounds) of the mean difference.
        public var differenceCi: [Double]
        /// More shared items needed, at the observed variance, to reach a verdict (undecided only).
        public var itemsToSettle: Int?

        public init(sharedItems: Int, meanDifference: Double, differenceCi: [Double], itemsToSettle: Int? = nil) {
            self.sharedItems = sharedItems
            self.meanDifference = meanDifference
            self.differenceCi = differenceCi
            self.itemsToSettle = itemsToSettle
        }
    }

    public struct EntryRef: Codable, Sendable, Equatable {
        public var model: String
        public var effort: String

        public init(model: String, effort: String) {
            self.model = model
            self.effort = effort
        }
    }

    public struct Pick: Codable, Sendable, Equatable {
        public var model: String
        public var effort: String
        public var reason: String
        /// True when the pick is certified within the margin of the best (posterior probability
        /// at least the catalog's confidence); false when the data could not certify any cheaper
        /// entry and the stated fallback rule chose.
        public var certified: Bool? = nil
        /// The pick's posterior probability of being within the margin of the best.
        public var probabilityWithinMargin: Double? = nil

        public init(model: String, effort: String, reason: String, certified: Bool? = nil, probabilityWithinMargin: Double? = nil) {
            self.certified = certified
            self.probabilityWithinMargin = probabilityWithinMargin
            self.model = model
            self.effort = effort
            self.reason = reason
        }
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var model: String
        public var effort: String
        /// Samples with an answer (ok), over all epochs.
        public var n: Int
        public var items: Int
        public var epochs: Int
        public var errors: Int
        public var errorRate: Double
        public var quality: Double?
        public var qualityCi: [Double]?
        /// Mean cost per sample at today's prices, nano-USD.
        public var costPerTaskNusd: Int64
        public var costPerTaskUsd: String
        /// Total cost ÷ total score: what one solved task costs.
        public var costPerSolvedNusd: Int64?
        /// Mean cost per sample at the prices in force when it ran.
        public var costPerTaskAsRunNusd: Int64
        public var inputTokensMean: Double
        public var outputTokensMean: Double
        public var reasoningTokensMean: Double
        public var latencyMsP50: Int?
        public var latencyMsP95: Int?
        public var measuredAt: String
        /// Days between the newest sample and the catalog's generation.
        public var ageDays: Double
        /// Today's price gives another cost than the samples were charged at.
        public var priceChanged: Bool
        /// No sample on the suite's current version: the figures come from an older one.
        public var staleSuiteVersion: Bool
        public var withinMargin: Bool
        /// Against the task's best entry at the margin; nil when the entry has no quality.
        public var verdict: Verdict?
        public var comparison: Comparison?
        /// 95% interval of the mean cost per task, nano-USD.
        public var costPerTaskCiNusd: [Int64]?
        /// 95% interval of the cost per solved task (delta method), nano-USD.
        public var costPerSolvedCiNusd: [Int64]?
        /// False when no price is known for the model: its costs read 0 and it is only picked
        /// when no entry of the task has a price.
        public var priced: Bool
        /// Mean score per item, for the router's per-request estimate.
        public var itemScores: ItemScores? = nil
        /// Code (python-tests): the mean share of hidden tests passed, beside the quality, which
        /// counts an answer only when it passes them all (pass@1).
        public var testsPassedShare: Double? = nil
        /// Posterior probability that this entry is within the margin of the task's best entry
        /// (the best drawn per posterior sample, so its uncertainty counts too).
        public var probabilityWithinMargin: Double? = nil

        public init(model: String, effort: String, n: Int, items: Int, epochs: Int, errors: Int, errorRate: Double,
                    quality: Double? = nil, qualityCi: [Double]? = nil, costPerTaskNusd: Int64, costPerTaskUsd: String,
                    costPerSolvedNusd: Int64? = nil, costPerTaskAsRunNusd: Int64, inputTokensMean: Double,
                    outputTokensMean: Double, reasoningTokensMean: Double, latencyMsP50: Int? = nil,
                    latencyMsP95: Int? = nil, measuredAt: String, ageDays: Double, priceChanged: Bool,
                    staleSuiteVersion: Bool, withinMargin: Bool, verdict: Verdict? = nil, comparison: Comparison? = nil,
                    costPerTaskCiNusd: [Int64]? = nil, costPerSolvedCiNusd: [Int64]? = nil, priced: Bool,
                    itemScores: ItemScores? = nil, testsPassedShare: Double? = nil, probabilityWithinMargin: Double? = nil) {
            self.testsPassedShare = testsPassedShare
            self.probabilityWithinMargin = probabilityWithinMargin
            self.model = model
            self.effort = effort
            self.n = n
            self.items = items
            self.epochs = epochs
            self.errors = errors
            self.errorRate = errorRate
            self.quality = quality
            self.qualityCi = qualityCi
            self.costPerTaskNusd = costPerTaskNusd
            self.costPerTaskUsd = costPerTaskUsd
            self.costPerSolvedNusd = costPerSolvedNusd
            self.costPerTaskAsRunNusd = costPerTaskAsRunNusd
            self.inputTokensMean = inputTokensMean
            self.outputTokensMean = outputTokensMean
            self.reasoningTokensMean = reasoningTokensMean
            self.latencyMsP50 = latencyMsP50
            self.latencyMsP95 = latencyMsP95
            self.measuredAt = measuredAt
            self.ageDays = ageDays
            self.priceChanged = priceChanged
            self.staleSuiteVersion = staleSuiteVersion
            self.withinMargin = withinMargin
            self.verdict = verdict
            self.comparison = comparison
            self.costPerTaskCiNusd = costPerTaskCiNusd
            self.costPerSolvedCiNusd = costPerSolvedCiNusd
            self.priced = priced
            self.itemScores = itemScores
        }
    }
}

/// An entry against its task's best entry at the catalog's margin (paired, one-sided 95%).
public enum Verdict: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case best
    /// Shown at most the margin worse than the best.
    case nonInferior = "non-inferior"
    /// Shown more than the margin worse.
    case inferior
    /// Neither shown: more shared items would settle it.
    case undecided

    public var description: String { rawValue }
}

extension CatalogDocument {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Reads a catalog file, with a clear error when it is missing or not a catalog.
    public static func read(path: String) throws -> CatalogDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AssayError(.notFound, "no catalog at \(path)",
                             hint: "run 'assay catalog build' (or 'assay demo') first, or pass --catalog PATH")
        }
        let document: CatalogDocument
        do { document = try decoder().decode(CatalogDocument.self, from: data) } catch {
            throw AssayError(.catalog, "\(path) is not a valid catalog: \(error)", hint: "rebuild it with 'assay catalog build'")
        }
        guard document.schemaVersion == currentSchemaVersion else {
            throw AssayError(.catalog, "\(path) has schema version \(document.schemaVersion); this assay reads version \(currentSchemaVersion)",
                             hint: "rebuild it with 'assay catalog build'")
        }
        return document
    }

    package var taskNames: [String] { tasks.map(\.task) }

    /// Sort position of an effort label: Assay's efforts in order, anything else after them.
    package static func effortRank(_ text: String) -> Int { Effort(rawValue: text)?.rank ?? 99 }

    public func section(_ task: String) -> TaskSection? { tasks.first { $0.task == task } }
}

extension CatalogDocument.Entry {
    public var key: EntryKey { EntryKey(model: model, effort: effort) }
    /// `model@effort`, the entry's name across a catalog.
    public var name: String { key.description }
}

extension CatalogDocument.EntryRef {
    public var key: EntryKey { EntryKey(model: model, effort: effort) }
    public var name: String { key.description }
}

extension CatalogDocument.Pick {
    public var key: EntryKey { EntryKey(model: model, effort: effort) }
    public var name: String { key.description }
}
