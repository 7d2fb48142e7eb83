import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// What one listing changed: models seen for the first time, and models no longer listed.
    package struct DiscoveryChange: Sendable, Hashable {
        package var new: [String]
        package var gone: [String]
        package var returned: [String]
    }

    /// One model as a provider listed it (provider-neutral, so the store needs no adapter types).
    package struct ListedModelFacts: Sendable, Hashable {
        package var name: String
        package var created: Date?
        package var contextWindow: Int?
        package var capabilitiesJSON: String

        package init(name: String, created: Date?, contextWindow: Int?, capabilitiesJSON: String) {
            self.name = name
            self.created = created
            self.contextWindow = contextWindow
            self.capabilitiesJSON = capabilitiesJSON
        }
    }

    /// Records a provider's model listing: new models get `first_seen`; every listed one gets
    /// `last_seen`, its creation date, context window and capabilities and is `active`; a model
    /// of this provider that was active and is no longer listed becomes `gone`.
    package func recordListing(provider: String, models: [ListedModelFacts], at date: Date = Date()) throws -> DiscoveryChange {
        try writing { db in
            var change = DiscoveryChange(new: [], gone: [], returned: [])
            let known = try ModelRecord.filter(Column("provider") == provider).fetchAll(db)
            let byName = Dictionary(known.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for listed in models {
                if var record = byName[listed.name] {
                    if record.status == "gone" { change.returned.append(listed.name) }
                    record.lastSeen = date
                    record.status = "active"
                    record.created = listed.created ?? record.created
                    record.contextWindow = listed.contextWindow ?? record.contextWindow
                    record.capabilities = listed.capabilitiesJSON
                    try record.update(db)
                } else {
                    var record = ModelRecord(provider: provider, name: listed.name, firstSeen: date, lastSeen: date, created: listed.created,
                                             contextWindow: listed.contextWindow, capabilities: listed.capabilitiesJSON)
                    try record.insert(db)
                    change.new.append(listed.name)
                }
            }
            let listedNames = Set(models.map(\.name))
            for var record in known where record.status == "active" && !listedNames.contains(record.name) {
                record.status = "gone"
                try record.update(db)
                change.gone.append(record.name)
            }
            return change
        }
    }

    /// Models of `provider` by status.
    public func models(provider: String) throws -> [ModelRecord] {
        try reading { db in try ModelRecord.filter(Column("provider") == provider).order(Column("name")).fetchAll(db) }
    }

    /// Each model's last listed context window in tokens (models listed without one are left out),
    /// for the router's context filter.
    package func contextWindows() throws -> [ModelRef: Int] {
        try reading { db in
            var windows: [ModelRef: Int] = [:]
            for record in try ModelRecord.filter(Column("context_window") != nil).fetchAll(db) {
                if let window = record.contextWindow, window > 0 { windows[ModelRef(provider: record.provider, model: record.name)] = window }
            }
            return windows
        }
    }

    /// Models whose listing names their supported parameters (OpenRouter's `supported_parameters`)
    /// without `tools`: known not to take tool definitions. A model listed without parameters is
    /// not in it (nothing is known), for the server's tool filter.
    package func modelsWithoutTools() throws -> Set<ModelRef> {
        try reading { db in
            var models: Set<ModelRef> = []
            for record in try ModelRecord.filter(Column("capabilities") != "{}").fetchAll(db) {
                struct Capabilities: Decodable {
                    var supportedParameters: [String]?
                    enum CodingKeys: String, CodingKey { case supportedParameters = "supported_parameters" }
                }
                guard let listed = try? JSONDecoder().decode(Capabilities.self, from: Data(record.capabilities.utf8)).supportedParameters,
                      !listed.isEmpty, !listed.contains("tools") else { continue }
                models.insert(ModelRef(provider: record.provider, model: record.name))
            }
            return models
        }
    }

    /// Whether `model` has any stored sample, at any effort.
    package func hasSamples(_ model: ModelRef) throws -> Bool {
        try reading { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM sample JOIN job ON job.id = sample.job_id WHERE job.provider = ? AND job.model = ?)
                """, arguments: [model.provider, model.model]) ?? false
        }
    }
}
