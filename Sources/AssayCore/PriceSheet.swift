/// One price dimension, in the units the price tables use.
public enum PriceDimension: String, CaseIterable, Codable, Sendable {
    case input, cachedInput = "cached_input", cacheWrite = "cache_write", output, reasoning
}

/// The prices of one model, in nano-USD per million tokens (so `$0.075 / MTok` is exact).
///
/// Missing dimensions fall back the way providers bill: cached input and cache writes at the
/// input price, reasoning at the output price.
public struct PriceSheet: Hashable, Sendable, Codable {
    package var nanoUSDPerMTok: [PriceDimension: Int64]

    public init(_ prices: [PriceDimension: Int64] = [:]) { self.nanoUSDPerMTok = prices }

    /// Builds a sheet from dollars per million tokens written as decimal text.
    public init?(dollarsPerMTok: [PriceDimension: String]) {
        var prices: [PriceDimension: Int64] = [:]
        for (dimension, text) in dollarsPerMTok {
            guard let money = Money(dollars: text) else { return nil }
            prices[dimension] = money.nanoUSD
        }
        self.init(prices)
    }

    public var isEmpty: Bool { nanoUSDPerMTok.isEmpty }

    public func rate(_ dimension: PriceDimension) -> Int64 {
        if let rate = nanoUSDPerMTok[dimension] { return rate }
        switch dimension {
        case .input, .output: return 0
        case .cachedInput, .cacheWrite: return rate(.input)
        case .reasoning: return rate(.output)
        }
    }

    /// The most `inputTokens` in and `outputTokens` out can cost: every input token at the dearer
    /// of the input and cache-write prices, every output token at the dearer of the output and
    /// reasoning prices, rounded up.
    package func ceiling(inputTokens: Int, outputTokens: Int) -> Money {
        let total = Self.saturatingSum([(inputTokens, max(rate(.input), rate(.cacheWrite))),
                                        (outputTokens, max(rate(.output), rate(.reasoning)))])
        return Money(nanoUSD: total / 1_000_000 + (total % 1_000_000 == 0 ? 0 : 1))
    }

    /// The exact cost of `usage`, rounded once to the nearest nano-dollar.
    public func cost(of usage: Usage) -> Money {
        let usage = usage.clamped.usage
        let visibleOutput = max(0, usage.outputTokens - usage.reasoningTokens)
        // Sum tokens × nano-USD-per-MTok first, divide by 1M once: no per-term rounding. Written
        // out rather than looped over an array: this runs once per sample in runs and catalogs.
        let total = Self.saturatingSum([(usage.uncachedInputTokens, rate(.input)), (usage.cachedInputTokens, rate(.cachedInput)),
                                        (usage.cacheWriteTokens, rate(.cacheWrite)), (visibleOutput, rate(.output)),
                                        (usage.reasoningTokens, rate(.reasoning))])
        return Money(nanoUSD: total / 1_000_000 + (total % 1_000_000 >= 500_000 ? 1 : 0))
    }

    /// Σ tokens × rate, saturating at `Int64.max` instead of trapping: a hostile price page or
    /// upstream (absurd rates or counts) yields an absurd cost, never a crash. Negative terms
    /// count as zero.
    static func saturatingSum(_ terms: [(tokens: Int, rate: Int64)]) -> Int64 {
        var total: Int64 = 0
        for (tokens, rate) in terms where tokens > 0 && rate > 0 {
            let (product, overflow) = Int64(tokens).multipliedReportingOverflow(by: rate)
            let (sum, overflowed) = total.addingReportingOverflow(product)
            if overflow || overflowed { return .max }
            total = sum
        }
        return total
    }
}
