import AssayCore
import AssayStore

/// Where sources disagree about the price of the same model in force now.
package enum PriceConflicts {
    package struct Conflict: Sendable, Encodable {
        /// The model, as `provider/slug` (sources spell ids differently: `claude-sonnet-4.5`,
        /// `anthropic/claude-sonnet-4-5`).
        package var model: String
        package var dimension: String
        package var tier: String
        package var prices: [SourcePrice]
    }

    package struct SourcePrice: Sendable, Encodable {
        package var source: String
        package var modelRef: String
        package var nusdPerMtok: Int64
        package var price: String
    }

    package static func find(in rows: [PriceRecord]) -> [Conflict] {
        var groups: [String: [PriceRecord]] = [:]
        for row in rows {
            let key = [identity(provider: row.provider, model: row.model), row.dimension, "\(row.tierMinTokens ?? -1)",
                       "\(row.tierMaxTokens ?? -1)", row.currency].joined(separator: "\u{1}")
            groups[key, default: []].append(row)
        }
        return groups.values.compactMap { rows -> Conflict? in
            guard Set(rows.map(\.source)).count > 1, Set(rows.map(\.nusdPerMtok)).count > 1, let first = rows.first else { return nil }
            return Conflict(
                model: identity(provider: first.provider, model: first.model), dimension: first.dimension,
                tier: PriceObservation.label(dimension: "", min: first.tierMinTokens, max: first.tierMaxTokens).trimmingSpaces(),
                prices: rows.sorted { $0.source < $1.source }.map {
                    SourcePrice(source: $0.source, modelRef: "\($0.provider)/\($0.model)", nusdPerMtok: $0.nusdPerMtok,
                                price: PriceObservation.formatRate($0.nusdPerMtok, currency: $0.currency))
                })
        }.sorted { ($0.model, $0.dimension, $0.tier) < ($1.model, $1.dimension, $1.tier) }
    }

    /// `openrouter/anthropic/claude-sonnet-4.5` and `anthropic/claude-sonnet-4-5` → `anthropic/claude-sonnet-4-5`.
    static func identity(provider: String, model: String) -> String {
        var provider = provider
        var name = model
        if let slash = model.firstIndex(of: "/") {
            provider = String(model[..<slash])
            name = String(model[model.index(after: slash)...])
        }
        return TextCleaner.slug(provider) + "/" + TextCleaner.slug(name)
    }
}

extension String {
    func trimmingSpaces() -> String { split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
}
