import AssayCore
import Foundation

/// `catalog/catalog.json`, schema version 1 (docs/catalog-format.md). Money is integer
/// nano-USD; `*_usd` strings beside it are for people.
public struct CatalogDocument: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var generatedAt: String
    /// SHA-256 of the document's content with this field and `generated_at` left empty: the same
    /// measurements give the same hash.
    public var contentSha256: String
    public var margin: Double
    public var confidence: Double
    public var tasks: [TaskSection]

    public struct TaskSection: Codable, Sendable, Equatable {
        public var task: String
        public var suites: [String]
        public var items: Int
        /// The entry with the highest quality.
        public var best: EntryRef?
        /// The cheapest entry within `margin` of the best: what `catalog best` answers.
        public var pick: Pick?
        public var entries: [Entry]
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
        public var withinMargin: Bool
        /// False when no price is known for the model: its costs read 0 and it is only picked
        /// when no entry of the task has a price.
        public var priced: Bool
    }
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

    public var taskNames: [String] { tasks.map(\.task) }

    public func section(_ task: String) -> TaskSection? { tasks.first { $0.task == task } }
}
