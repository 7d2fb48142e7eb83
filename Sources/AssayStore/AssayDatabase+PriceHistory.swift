import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// What applying one scrape did.
    package struct ScrapeOutcome: Sendable {
        /// Price rows opened (a new or changed price).
        package var opened: [PriceRecord] = []
        /// Models whose prices were all unchanged.
        package var unchangedModels = 0
        package var quarantined: [PriceQuarantineRecord] = []

        package init() {}
    }

    /// Applies `scrape` from one source: unchanged prices keep their rows, a changed price closes
    /// the old row and opens a new one. A layout problem, a price moving by more than
    /// `maxChangeFactor` from its last approved price, a source, model or dimension never
    /// approved, or a model missing from the page is quarantined instead (`PriceReview`):
    /// nothing of it is applied, so a bad scrape never overwrites a good price. While no scraped
    /// source has an approved price (a new database), the scrape is applied and approved as it
    /// reads, apart from zero prices.
    package func applyScrape(_ scrape: PriceScrape, maxChangeFactor: Double) throws -> ScrapeOutcome {
        try writing { db in
            var outcome = ScrapeOutcome()
            if let problem = scrape.layoutProblem {
                try supersede(db, source: scrape.source, model: nil)
                var record = PriceQuarantineRecord(source: scrape.source, url: scrape.url, provider: nil, model: nil, kind: "layout",
                                                   message: problem, fetchedAt: scrape.fetchedAt)
                try record.insert(db)
                outcome.quarantined.append(record)
                return outcome
            }
            try supersede(db, source: scrape.source, model: nil)
            let open = try openRows(db, source: scrape.source)
            let anchors = try approvedAnchors(db, source: scrape.source)
            let review = PriceReview(bootstrap: try !hasApprovedScrapedPrice(db), sourceKnown: !anchors.isEmpty,
                                     factor: maxChangeFactor)
            let byModel = Dictionary(grouping: scrape.observations, by: \.model)
            for model in byModel.keys.sorted() {
                let observations = byModel[model]!.sorted { $0.key < $1.key }
                let current = open.filter { $0.provider == model.provider && $0.model == model.model }
                if let problem = review.holdBack(observations, current: current, anchors: anchors[model] ?? [:]) {
                    try supersede(db, source: scrape.source, model: model)
                    var record = PriceQuarantineRecord(
                        source: scrape.source, url: scrape.url, provider: model.provider, model: model.model, kind: problem.kind,
                        message: "\(model): \(problem.message)", observations: try Self.encode(observations),
                        excerptSha256: observations.first?.excerptSha256, fetchedAt: scrape.fetchedAt)
                    try record.insert(db)
                    outcome.quarantined.append(record)
                    continue
                }
                let opened = try apply(db, observations, current: current, source: scrape.source, url: scrape.url,
                                       at: scrape.fetchedAt, approved: review.bootstrap)
                if opened.isEmpty { outcome.unchangedModels += 1 }
                outcome.opened += opened
                try supersede(db, source: scrape.source, model: model)
            }
            let seen = scrape.models
            let vanished = Set(open.map { ModelRef(provider: $0.provider, model: $0.model) }).subtracting(seen)
            for model in vanished.sorted() {
                try supersede(db, source: scrape.source, model: model)
                var record = PriceQuarantineRecord(
                    source: scrape.source, url: scrape.url, provider: model.provider, model: model.model, kind: "vanished",
                    message: "\(model) is no longer listed by \(scrape.source); its last prices stay in force until approved",
                    fetchedAt: scrape.fetchedAt)
                try record.insert(db)
                outcome.quarantined.append(record)
            }
            return outcome
        }
    }

    /// Applies a pending quarantine: a jump's prices are recorded, a vanished model's prices from
    /// that source are closed, a layout problem is acknowledged. Returns the resolved record.
    package func approveQuarantine(id: Int64, at date: Date = Date()) throws -> PriceQuarantineRecord {
        try writing { db in
            guard var record = try PriceQuarantineRecord.fetchOne(db, key: id) else {
                throw AssayError(.notFound, "no quarantined price with id \(id)", hint: "'assay prices scrape' lists them; so does 'assay prices show'")
            }
            guard record.status == .pending else {
                throw AssayError(.usage, "quarantine \(id) is already \(record.status)")
            }
            let model = record.provider.flatMap { provider in record.model.map { ModelRef(provider: provider, model: $0) } }
            let current = try openRows(db, source: record.source).filter { $0.provider == model?.provider && $0.model == model?.model }
            switch record.kind {
            case "jump", "new", "zero":
                let observations = try JSONDecoder().decode([PriceObservation].self, from: Data(record.observations.utf8))
                _ = try apply(db, observations, current: current, source: record.source, url: record.url, at: date, approved: true)
            case "vanished":
                for var row in current {
                    row.effectiveTo = date
                    try row.update(db)
                }
            default:
                break
            }
            record.status = .approved
            record.resolvedAt = date
            try record.update(db)
            return record
        }
    }

    /// Quarantined results awaiting approval, oldest first.
    package func pendingQuarantines(source: String? = nil) throws -> [PriceQuarantineRecord] {
        try reading { db in
            var request = PriceQuarantineRecord.filter(Column("status") == QuarantineStatus.pending)
            if let source { request = request.filter(Column("source") == source) }
            return try request.order(Column("id")).fetchAll(db)
        }
    }

    /// Every price row and quarantine for `model`, oldest first: `provider/model` exactly when
    /// such rows exist, else every provider's rows whose model part is `model`.
    package func priceHistory(model: String) throws -> (prices: [PriceRecord], quarantines: [PriceQuarantineRecord]) {
        try reading { db in
            let byName = Column("model") == model
            if let ref = ModelRef(model) {
                let exact = Column("provider") == ref.provider && Column("model") == ref.model
                let prices = try PriceRecord.filter(exact).order(Column("effective_from"), Column("id")).fetchAll(db)
                let quarantines = try PriceQuarantineRecord.filter(exact).order(Column("id")).fetchAll(db)
                if !prices.isEmpty || !quarantines.isEmpty { return (prices, quarantines) }
            }
            let prices = try PriceRecord.filter(byName).order(Column("effective_from"), Column("id")).fetchAll(db)
            let quarantines = try PriceQuarantineRecord.filter(byName).order(Column("id")).fetchAll(db)
            return (prices, quarantines)
        }
    }

    /// Every price in force (applied, not closed), from every source.
    package func openPrices() throws -> [PriceRecord] {
        try reading { db in
            try PriceRecord.filter(Column("effective_to") == nil && Column("status") == "applied")
                .order(Column("provider"), Column("model"), Column("dimension"), Column("tier_min_tokens"), Column("source"))
                .fetchAll(db)
        }
    }

    /// The validators of the last fetch of `source` whose result was accepted, with the hash of
    /// the extractor it was read with.
    package func lastAcceptedFetch(source: String, url: String) throws -> PriceFetchRecord? {
        try reading { db in
            try PriceFetchRecord.filter(Column("source") == source && Column("url") == url)
                .order(Column("id").desc).fetchOne(db)
                .flatMap { $0.outcome == "quarantined" ? nil : $0 }
        }
    }

    package func recordFetch(_ fetch: PriceFetchRecord) throws {
        var fetch = fetch
        try writing { db in try fetch.insert(db) }
    }

    // MARK: - Steps inside a write

    func openRows(_ db: Database, source: String) throws -> [PriceRecord] {
        try PriceRecord.filter(Column("source") == source && Column("effective_to") == nil && Column("status") == "applied")
            .fetchAll(db)
    }

    /// Closes changed rows and opens new ones; returns the rows opened. `approved` rows become
    /// the anchors later scrapes are measured against; an unchanged row is marked approved.
    func apply(_ db: Database, _ observations: [PriceObservation], current: [PriceRecord], source: String, url: String?,
               at date: Date, approved: Bool) throws -> [PriceRecord] {
        var opened: [PriceRecord] = []
        let seen = Set(observations.map(\.key))
        for observation in observations {
            let same = current.filter { $0.key == observation.key }
            if same.count == 1, same[0].nusdPerMtok == observation.nanosPerMTok {
                if approved, !same[0].approved {
                    var row = same[0]
                    row.approved = true
                    try row.update(db)
                }
                continue
            }
            for var row in same {
                row.effectiveTo = date
                try row.update(db)
            }
            var record = PriceRecord(provider: observation.model.provider, model: observation.model.model,
                                     dimension: observation.dimension, nusdPerMtok: observation.nanosPerMTok,
                                     currency: observation.currency, effectiveFrom: date, source: source, url: url, fetchedAt: date,
                                     excerptSha256: observation.excerptSha256, approved: approved)
            record.tierMinTokens = observation.tierMinTokens
            record.tierMaxTokens = observation.tierMaxTokens
            try record.insert(db)
            opened.append(record)
        }
        for var row in current where !seen.contains(row.key) {
            row.effectiveTo = date
            try row.update(db)
        }
        return opened
    }

    /// The last approved price per model and key from `source`, closed or not.
    func approvedAnchors(_ db: Database, source: String) throws -> [ModelRef: [PriceObservation.Key: PriceRecord]] {
        let rows = try PriceRecord.filter(Column("source") == source && Column("approved") == true && Column("status") == "applied")
            .order(Column("effective_from"), Column("id")).fetchAll(db)
        var anchors: [ModelRef: [PriceObservation.Key: PriceRecord]] = [:]
        for row in rows { anchors[ModelRef(provider: row.provider, model: row.model), default: [:]][row.key] = row }   // later rows win
        return anchors
    }

    /// Whether any scraped source (not the config, not a provider's model listing) has an approved price.
    func hasApprovedScrapedPrice(_ db: Database) throws -> Bool {
        try PriceRecord.filter(Column("approved") == true && Column("source") != Self.configSource
            && !Column("source").like("listing:%")).fetchCount(db) > 0
    }

    /// Marks earlier pending quarantines of the same source and model (nil: the whole source) superseded.
    func supersede(_ db: Database, source: String, model: ModelRef?) throws {
        var request = PriceQuarantineRecord.filter(Column("source") == source && Column("status") == QuarantineStatus.pending)
        if let model {
            request = request.filter(Column("provider") == model.provider && Column("model") == model.model)
        } else {
            request = request.filter(Column("model") == nil)
        }
        try request.updateAll(db, Column("status").set(to: QuarantineStatus.superseded))
    }

    static func encode(_ observations: [PriceObservation]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(observations), as: UTF8.self)
    }
}

extension PriceRecord {
    var key: PriceObservation.Key {
        PriceObservation.Key(dimension: dimension, tierMin: tierMinTokens ?? -1, tierMax: tierMaxTokens ?? Int.max, currency: currency)
    }
}
