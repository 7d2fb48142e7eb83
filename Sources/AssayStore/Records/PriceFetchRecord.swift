import Foundation
import GRDB

/// A row of `price_fetch`: one fetch of a pricing source, with the validators the server sent.
package struct PriceFetchRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "price_fetch"
    package var id: Int64?
    package var source: String
    package var url: String
    package var fetchedAt: Date
    package var httpStatus: Int
    package var etag: String?
    package var lastModified: String?
    package var bodySha256: String?
    /// Hash of the extractor the body was read with: a new extractor re-reads an unchanged page.
    package var extractorSha256: String?
    /// `applied`, `unchanged` (304 or same body), `quarantined`.
    package var outcome: String

    package init(source: String, url: String, fetchedAt: Date, httpStatus: Int, etag: String? = nil,
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

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
