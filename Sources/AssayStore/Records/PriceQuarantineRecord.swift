import Foundation
import GRDB

/// A row of `price_quarantine`: a scrape result held back until `assay prices approve`.
package struct PriceQuarantineRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "price_quarantine"
    package var id: Int64?
    package var source: String
    package var url: String?
    package var provider: String?
    package var model: String?
    /// `layout` (the page no longer matches its extractor), `jump` (a price moved more than the
    /// allowed factor from its last approved price), `vanished` (a model priced before is no
    /// longer on the page), `new` (a source, model or dimension with no approved price yet) or
    /// `zero` (a first price of zero, on a bootstrapping scrape).
    package var kind: String
    package var message: String
    /// The held-back observations, as JSON (`[PriceObservation]`).
    package var observations: String
    package var excerptSha256: String?
    package var fetchedAt: Date
    /// Superseded when a later scrape quarantined the same model again.
    package var status: QuarantineStatus
    package var resolvedAt: Date?

    package init(source: String, url: String?, provider: String?, model: String?, kind: String, message: String,
                observations: String = "[]", excerptSha256: String? = nil, fetchedAt: Date) {
        self.source = source
        self.url = url
        self.provider = provider
        self.model = model
        self.kind = kind
        self.message = message
        self.observations = observations
        self.excerptSha256 = excerptSha256
        self.fetchedAt = fetchedAt
        self.status = .pending
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
