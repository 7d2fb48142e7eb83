import AssayCore
import Foundation

/// One price read from a source: a model's price for one dimension (and context tier), in
/// nano-units of `currency` per million tokens.
public struct PriceObservation: Sendable, Hashable, Codable {
    public var model: ModelRef
    /// A `PriceDimension` raw value, or another dimension a source lists (`batch_input`, `batch_output`).
    public var dimension: String
    public var nanosPerMTok: Int64
    /// ISO 4217 code. Only `USD` prices are used to cost samples; others are recorded as seen.
    public var currency: String
    /// Context tier: the price applies to requests with more than `tierMinTokens` input tokens
    /// and at most `tierMaxTokens` (nil: unbounded).
    public var tierMinTokens: Int?
    public var tierMaxTokens: Int?
    /// SHA-256 of the page excerpt (table row, JSON entry) the price was read from.
    public var excerptSha256: String?

    public init(model: ModelRef, dimension: String, nanosPerMTok: Int64, currency: String = "USD",
                tierMinTokens: Int? = nil, tierMaxTokens: Int? = nil, excerptSha256: String? = nil) {
        self.model = model
        self.dimension = dimension
        self.nanosPerMTok = nanosPerMTok
        self.currency = currency
        self.tierMinTokens = tierMinTokens
        self.tierMaxTokens = tierMaxTokens
        self.excerptSha256 = excerptSha256
    }

    /// What identifies "the same price" across scrapes.
    public struct Key: Hashable, Sendable, Comparable {
        public var dimension: String
        package var tierMin: Int
        package var tierMax: Int
        public var currency: String

        public static func < (a: Key, b: Key) -> Bool {
            (a.dimension, a.tierMin, a.tierMax, a.currency) < (b.dimension, b.tierMin, b.tierMax, b.currency)
        }
    }

    public var key: Key {
        Key(dimension: dimension, tierMin: tierMinTokens ?? -1, tierMax: tierMaxTokens ?? Int.max, currency: currency)
    }

    /// `input (>200K tokens)`-style label for messages.
    public var label: String { Self.label(dimension: dimension, min: tierMinTokens, max: tierMaxTokens) }

    public static func label(dimension: String, min: Int?, max: Int?) -> String {
        switch (min, max) {
        case (nil, nil): dimension
        case (nil, let max?): "\(dimension) (≤\(tokens(max)) tokens)"
        case (let min?, nil): "\(dimension) (>\(tokens(min)) tokens)"
        case (let min?, let max?): "\(dimension) (\(tokens(min))–\(tokens(max)) tokens)"
        }
    }

    static func tokens(_ count: Int) -> String {
        if count % 1_000_000 == 0 { return "\(count / 1_000_000)M" }
        if count % 1_000 == 0 { return "\(count / 1_000)K" }
        return "\(count)"
    }

    /// `$3.00 / MTok`, `EUR 0.25 / MTok`: exact decimal text of a rate.
    package static func formatRate(_ nanos: Int64, currency: String) -> String {
        let whole = nanos / 1_000_000_000
        var fraction = String(nanos % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        let amount = "\(whole).\(fraction)"
        return (currency == "USD" ? "$" + amount : "\(currency) " + amount) + " / MTok"
    }
}

/// What one read of a source found.
package struct PriceScrape: Sendable {
    package var source: String
    package var url: String?
    package var fetchedAt: Date
    package var observations: [PriceObservation]
    /// Set when the page no longer matches its extractor: nothing is applied.
    package var layoutProblem: String?
    /// Rows or entries skipped, each naming the row and field.
    package var warnings: [String]

    package init(source: String, url: String?, fetchedAt: Date = Date(), observations: [PriceObservation],
                layoutProblem: String? = nil, warnings: [String] = []) {
        self.source = source
        self.url = url
        self.fetchedAt = fetchedAt
        self.observations = observations
        self.layoutProblem = layoutProblem
        self.warnings = warnings
    }

    package var models: Set<ModelRef> { Set(observations.map(\.model)) }
}
