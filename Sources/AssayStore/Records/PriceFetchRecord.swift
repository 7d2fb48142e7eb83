import Foundation
import GRDB

/// A row of `price_fetch`: one fetch of a pricing source, with the validators the server sent.
public struct PriceFetchRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "price_fetch"
    public var id: Int64?
    public var source: String
    public var url: String
    public var fetchedAt: Date
    public var httpStatus: Int
    public var etag: String?
    public var lastModified: String?
    public var bodySha256: String?
    /// Hash of the extractor the body was read with: a new extractor re-reads an unchanged page.
    public var extractorSha256: String?
    /// `applied`, `unchanged` (304 or same body), `quarantined`.
    public var outcome: String

    public init(source: String, url: String, fetchedAt: Date, httpStatus: Int, etag: String? = nil,
                lastModified: String? = nil, bodySha256: String? = nil, extractorSha256: String? = nil, outcome: String) {
        self.source = source
        self.url = url
        self.fetchedAt = fetchedAt
        self.httpStatus = httpStatus
        self.etag = etag
        self.lastModified = lastModified
        self.bodySha256 = bodySha256
        self.extractorSha256 = extractorSha256
        self.outcome = outcome
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
