import Foundation
import GRDB

/// A row of `model`: a model a provider sells, as Assay has seen it.
public struct ModelRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "model"
    public var id: Int64?
    public var provider: String
    public var name: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var created: Date?
    public var contextWindow: Int?
    public var capabilities: String
    public var status: String

    public init(id: Int64? = nil, provider: String, name: String, firstSeen: Date, lastSeen: Date, created: Date? = nil,
                contextWindow: Int? = nil, capabilities: String = "{}", status: String = "active") {
        self.id = id
        self.provider = provider
        self.name = name
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.created = created
        self.contextWindow = contextWindow
        self.capabilities = capabilities
        self.status = status
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
