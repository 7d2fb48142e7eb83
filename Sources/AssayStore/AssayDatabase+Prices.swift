import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// The source of prices set in the config's `models:`: written by the operator, so applied
    /// and approved as they are.
    package static let configSource = "config"

    /// Records `sheet` as the price of `model` from `source`. A dimension whose price from this
    /// source is unchanged keeps its row; a changed one closes the old row and opens a new one
    /// (history is kept). Other sources' rows are left alone. Returns the number of dimensions
    /// that changed.
    @discardableResult
    package func recordPrices(_ sheet: PriceSheet, for model: ModelRef, source: String, url: String? = nil,
                             at date: Date = Date()) throws -> Int {
        try writing { db in
            var changed = 0
            for (dimension, rate) in sheet.nanoUSDPerMTok.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let open = try PriceRecord
                    .filter(Column("provider") == model.provider && Column("model") == model.model)
                    .filter(Column("dimension") == dimension.rawValue && Column("effective_to") == nil)
                    .filter(Column("status") == "applied" && Column("source") == source)
                    .filter(Column("tier_min_tokens") == nil && Column("currency") == "USD")
                    .fetchAll(db)
                if open.count == 1, open[0].nusdPerMtok == rate { continue }
                for var row in open {
                    row.effectiveTo = date
                    try row.update(db)
                }
                var record = PriceRecord(provider: model.provider, model: model.model, dimension: dimension.rawValue,
                                         nusdPerMtok: rate, effectiveFrom: date, source: source, url: url, fetchedAt: date)
                try record.insert(db)
                changed += 1
            }
            return changed
        }
    }

    /// The prices in force now, per model: for each dimension, the base context tier's USD price
    /// from whichever source changed it most recently. Prices in other currencies are recorded
    /// but never used as dollars.
    public func currentPrices() throws -> [ModelRef: PriceSheet] {
        try reading { db in
            let rows = try PriceRecord
                .filter(Column("effective_to") == nil && Column("status") == "applied")
                .filter(Column("tier_min_tokens") == nil && Column("currency") == "USD")
                .order(Column("effective_from"), Column("id"))
                .fetchAll(db)
            var sheets: [ModelRef: PriceSheet] = [:]
            for row in rows {   // later rows win
                guard let dimension = PriceDimension(rawValue: row.dimension) else { continue }
                sheets[ModelRef(provider: row.provider, model: row.model), default: PriceSheet()]
                    .nanoUSDPerMTok[dimension] = row.nusdPerMtok
            }
            return sheets
        }
    }
}
