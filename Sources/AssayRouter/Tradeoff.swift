import AssayCore
import Foundation

/// A request's own cost–quality trade-off, from the `x-assay-tradeoff` header: one of the
/// router's objectives, and optionally a cost cap per request (docs/router.md, "Per-request
/// trade-off"). Comma-separated parts, e.g. `best, max-cost=0.002`:
///
/// - `cheapest` — the cheapest entry within the margin of the top estimate (the default)
/// - `best` — the highest estimate
/// - `utility=λ` — the highest estimate − λ × cost per request in dollars (λ ≥ 0, finite)
/// - `max-cost=USD` — only entries whose measured cost per request is at most this many dollars
/// - `cascade` — the task's worker/advisor cascade from the served plan (docs/cascades.md, "In
///   the server"); alone, since the plan fixes the entries
package struct Tradeoff: Sendable, Equatable {
    package var objective: Objective?
    package var maxCostNusd: Int64?
    /// The request asks for the cascade objective.
    package var cascade = false

    package init(objective: Objective? = nil, maxCostNusd: Int64? = nil, cascade: Bool = false) {
        self.objective = objective
        self.maxCostNusd = maxCostNusd
        self.cascade = cascade
    }

    /// The longest header value read; anything longer is refused.
    package static let maxLength = 200

    /// Parses a header value; the error says which part is wrong and what is accepted.
    package init(parsing text: String) throws(TradeoffError) {
        guard text.utf8.count <= Self.maxLength else { throw TradeoffError("is longer than \(Self.maxLength) bytes") }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else { throw TradeoffError("is empty; \(Self.accepted)") }
        for part in parts {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            let (name, value) = (pieces[0].lowercased(), pieces.count > 1 ? pieces[1] : nil)
            switch (name, value) {
            case ("cascade", nil):
                guard objective == nil, !cascade else { throw TradeoffError("names more than one objective") }
                cascade = true
            case ("cheapest", nil), ("best", nil):
                guard objective == nil, !cascade else { throw TradeoffError("names more than one objective") }
                objective = name == "best" ? .best : .cheapest
            case ("utility", let value?):
                guard objective == nil, !cascade else { throw TradeoffError("names more than one objective") }
                guard let lambda = Double(value), lambda.isFinite, lambda >= 0, lambda <= 1e12 else {
                    throw TradeoffError("utility=\(Self.quoted(value)): λ must be a number from 0 to 1e12")
                }
                objective = .utility(lambda: lambda)
            case ("max-cost", let value?):
                guard maxCostNusd == nil else { throw TradeoffError("sets max-cost twice") }
                guard let dollars = Double(value), dollars.isFinite, dollars >= 0, dollars <= 1_000_000 else {
                    throw TradeoffError("max-cost=\(Self.quoted(value)): must be dollars from 0 to 1000000, such as 0.002")
                }
                maxCostNusd = Int64((dollars * 1e9).rounded())
            default:
                throw TradeoffError("part '\(Self.quoted(part))' is not understood; \(Self.accepted)")
            }
        }
        if cascade, maxCostNusd != nil {
            throw TradeoffError("combines cascade with max-cost: the cascade's plan fixes its entries; send one or the other")
        }
    }

    static let accepted = "expected cheapest, best, utility=λ and/or max-cost=USD, or cascade alone, comma-separated"

    /// At most 40 visible ASCII characters of what the client sent, for the error message.
    static func quoted(_ text: String) -> String {
        String(text.prefix(40).unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? Character($0) : "?" })
    }
}

/// A `x-assay-tradeoff` value the router cannot use.
package struct TradeoffError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
