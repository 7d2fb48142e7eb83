import AssayCore
import Foundation
import GRDB

/// What a source says about a model besides its price (OpenRouter's `created`,
/// `context_length`, `supported_parameters`).
public struct ModelInfo: Sendable, Hashable {
    public var model: ModelRef
    public var created: Date?
    public var contextWindow: Int?
    public var supportedParameters: [String]

    public init(model: ModelRef, created: Date? = nil, contextWindow: Int? = nil, supportedParameters: [String] = []) {
        self.model = model
        self.created = created
        self.contextWindow = contextWindow
        self.supportedParameters = supportedParameters
    }

    /// `{"supported_parameters": [...]}`, sorted, for the `capabilities` column.
    var capabilitiesJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(["supported_parameters": supportedParameters.sorted()])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension AssayDatabase {
    /// Records what sources say about models in `model` (one transaction): new models are
    /// added, known ones get `last_seen`, `created`, `context_window` and `capabilities` updated.
    package func recordModelInfo(_ infos: [ModelInfo], at date: Date = Date()) throws {
        guard !infos.isEmpty else { return }
        try writing { db in
            for info in infos {
                var record = try ModelRecord.filter(Column("provider") == info.model.provider && Column("name") == info.model.model)
                    .fetchOne(db) ?? ModelRecord(provider: info.model.provider, name: info.model.model, firstSeen: date, lastSeen: date)
                record.lastSeen = date
                record.created = info.created ?? record.created
                record.contextWindow = info.contextWindow ?? record.contextWindow
                if !info.supportedParameters.isEmpty { record.capabilities = info.capabilitiesJSON }
                try record.save(db)
            }
        }
    }

    /// The stored row of `model`, if any.
    package func modelRecord(_ model: ModelRef) throws -> ModelRecord? {
        try reading { db in
            try ModelRecord.filter(Column("provider") == model.provider && Column("name") == model.model).fetchOne(db)
        }
    }
}
