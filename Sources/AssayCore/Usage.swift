/// Token usage of one request, normalised across providers.
///
/// - `inputTokens` counts every prompt token, including those read from or written to a cache
///   (OpenAI's `prompt_tokens`; for Anthropic the adapter adds its cache reads and writes in).
/// - `cachedInputTokens` and `cacheWriteTokens` are the parts of `inputTokens` billed at the
///   cache-read and cache-write prices.
/// - `outputTokens` counts every generated token, reasoning included; `reasoningTokens` is the
///   part spent on reasoning (0 when the provider does not say).
public struct Usage: Hashable, Sendable, Codable {
    public var inputTokens: Int
    public var cachedInputTokens: Int
    public var cacheWriteTokens: Int
    public var outputTokens: Int
    public var reasoningTokens: Int

    public init(inputTokens: Int = 0, cachedInputTokens: Int = 0, cacheWriteTokens: Int = 0,
                outputTokens: Int = 0, reasoningTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
    }

    public static let zero = Usage()

    /// Input tokens billed at the plain input price.
    package var uncachedInputTokens: Int { max(0, inputTokens - cachedInputTokens - cacheWriteTokens) }
}

extension Usage {
    /// More tokens than any model answers or reads in one request (the largest context windows
    /// are a few million tokens): a count above it is a provider's bug or a hostile upstream.
    package static let plausibleTokenLimit = 100_000_000

    /// This usage made possible: every count within 0…`plausibleTokenLimit`, the cached and
    /// cache-write parts within the input, reasoning within the output. `anomalies` names each
    /// count that had to change (empty for a sane answer), so a caller can flag the answer.
    package var clamped: (usage: Usage, anomalies: [String]) {
        var anomalies: [String] = []
        func clamp(_ value: Int, _ name: String, to upper: Int) -> Int {
            let bounded = min(max(value, 0), upper)
            if bounded != value { anomalies.append("\(name) \(value)") }
            return bounded
        }
        let limit = Self.plausibleTokenLimit
        let input = clamp(inputTokens, "input_tokens", to: limit)
        let cached = clamp(cachedInputTokens, "cached_input_tokens", to: input)
        let write = clamp(cacheWriteTokens, "cache_write_tokens", to: input - cached)
        let output = clamp(outputTokens, "output_tokens", to: limit)
        let reasoning = clamp(reasoningTokens, "reasoning_tokens", to: output)
        return (Usage(inputTokens: input, cachedInputTokens: cached, cacheWriteTokens: write, outputTokens: output,
                      reasoningTokens: reasoning), anomalies)
    }
}

extension Usage {
    /// `values` added without trapping on overflow (an upstream may send any integer): the sum
    /// saturates at `Int.max` or `Int.min`, and `clamped` then makes it plausible.
    package static func sum(_ values: Int...) -> Int {
        var total = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { return value > 0 ? .max : .min }
            total = next
        }
        return total
    }
}
