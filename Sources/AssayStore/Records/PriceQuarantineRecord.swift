import Foundation
import GRDB

/// A row of `price_quarantine`: a scrape result held back until `assay prices approve`.
public struct PriceQuarantineRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "price_quarantine"
    public var id: Int64?
    public var source: String
    public var url: String?
    public var provider: String?
    public var model: String?
    /// `layout` (the page no longer matches its extractor), `jump` (a price moved more than the
    /// allowed factor from its last approved price), `vanished` (a model priced before is no
    /// longer on the page), `new` (a source, model or dimension with no approved price yet) or
    /// `zero` (a first price of zero, on a bootstrapping scrape).
    public var kind: String
    public var message: String
    /// The held-back observations, as JSON (`[PriceObservation]`).
    public var observations: String
    public var excerptSha256: String?
    public var fetchedAt: Date
    /// Superseded when a later scrape quarantined the same model again.
    public var status: QuarantineStatus
    public var resolvedAt: Date?

    public init(source: String, url: String?, provider: String?, model: String?, kind: String, message: String,
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
