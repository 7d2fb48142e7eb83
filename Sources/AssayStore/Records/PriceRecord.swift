import Foundation
import GRDB

/// A row of `price`: one observed price of one dimension, valid from `effectiveFrom` until
/// `effectiveTo` (nil while in force). Rows are closed, never overwritten.
public struct PriceRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "price"
    public var id: Int64?
    public var provider: String
    public var model: String
    public var dimension: String
    public var nusdPerMtok: Int64
    public var currency: String
    public var tierMinTokens: Int?
    public var tierMaxTokens: Int?
    public var effectiveFrom: Date
    public var effectiveTo: Date?
    public var source: String
    public var url: String?
    public var fetchedAt: Date
    public var excerptSha256: String?
    public var status: String
    /// Approved by a person, bootstrapped by the first scrape, or set in the config: the price
    /// later scrapes of its source are measured against. A small move applied without approval
    /// is false, so small moves cannot walk the reference.
    public var approved: Bool

    public init(id: Int64? = nil, provider: String, model: String, dimension: String, nusdPerMtok: Int64,
                currency: String = "USD", effectiveFrom: Date, effectiveTo: Date? = nil, source: String,
                url: String? = nil, fetchedAt: Date, excerptSha256: String? = nil, status: String = "applied",
                approved: Bool = true) {
        self.id = id
        self.provider = provider
        self.model = model
        self.dimension = dimension
        self.nusdPerMtok = nusdPerMtok
        self.currency = currency
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.source = source
        self.url = url
        self.fetchedAt = fetchedAt
        self.excerptSha256 = excerptSha256
        self.status = status
        self.approved = approved
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
