import Foundation
import GRDB

/// A row of `price`: one observed price of one dimension, valid from `effectiveFrom` until
/// `effectiveTo` (nil while in force). Rows are closed, never overwritten.
package struct PriceRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "price"
    package var id: Int64?
    package var provider: String
    package var model: String
    package var dimension: String
    package var nusdPerMtok: Int64
    package var currency: String
    package var tierMinTokens: Int?
    package var tierMaxTokens: Int?
    package var effectiveFrom: Date
    package var effectiveTo: Date?
    package var source: String
    package var url: String?
    package var fetchedAt: Date
    package var excerptSha256: String?
    package var status: String
    /// Approved by a person, bootstrapped by the first scrape, or set in the config: the price
    /// later scrapes of its source are measured against. A small move applied without approval
    /// is false, so small moves cannot walk the reference.
    package var approved: Bool

    package init(id: Int64? = nil, provider: String, model: String, dimension: String, nusdPerMtok: Int64,
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

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
