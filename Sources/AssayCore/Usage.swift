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
    public var uncachedInputTokens: Int { max(0, inputTokens - cachedInputTokens - cacheWriteTokens) }
}
