import AssayCore
import Foundation

/// One model a provider lists, with what the listing says about it. OpenAI lists ids and
/// creation times; Anthropic adds `created_at`; Gemini the input token limit; OpenRouter the
/// context length, the supported request parameters and USD-per-token prices.
public struct ListedModel: Sendable, Hashable {
    public var id: String
    public var created: Date?
    public var contextWindow: Int?
    /// OpenRouter's `supported_parameters` (e.g. `reasoning`, `reasoning_effort`, `tools`).
    public var supportedParameters: [String]?
    /// Prices the listing states (OpenRouter), per 1M tokens.
    public var price: PriceSheet?

    public init(id: String, created: Date? = nil, contextWindow: Int? = nil, supportedParameters: [String]? = nil,
                price: PriceSheet? = nil) {
        self.id = id
        self.created = created
        self.contextWindow = contextWindow
        self.supportedParameters = supportedParameters
        self.price = price
    }
}

/// OpenRouter's `pricing` object: USD per token as decimal strings.
package struct OpenRouterPricing: Codable, Sendable, Hashable {
    package var prompt: String?
    package var completion: String?
    package var inputCacheRead: String?
    package var inputCacheWrite: String?
    package var internalReasoning: String?

    enum CodingKeys: String, CodingKey {
        case prompt, completion, inputCacheRead = "input_cache_read", inputCacheWrite = "input_cache_write"
        case internalReasoning = "internal_reasoning"
    }

    package init(prompt: String?, completion: String?, inputCacheRead: String? = nil, inputCacheWrite: String? = nil,
                internalReasoning: String? = nil) {
        self.prompt = prompt
        self.completion = completion
        self.inputCacheRead = inputCacheRead
        self.inputCacheWrite = inputCacheWrite
        self.internalReasoning = internalReasoning
    }

    /// Per-token dollars to nano-USD per 1M tokens, exactly (×10^15, parsed as decimal text).
    /// Dimensions that are absent, unparseable, "0" for reasoning (meaning "not separate") or
    /// negative ("-1": variable) are left out.
    package var sheet: PriceSheet? {
        var prices: [PriceDimension: Int64] = [:]
        let pairs: [(PriceDimension, String?)] = [(.input, prompt), (.output, completion), (.cachedInput, inputCacheRead),
                                                 (.cacheWrite, inputCacheWrite), (.reasoning, internalReasoning)]
        for (dimension, text) in pairs {
            guard let text, let value = Money.parseDecimal(text, scale: 15), value >= 0 else { continue }
            if dimension == .reasoning && value == 0 { continue }
            prices[dimension] = value
        }
        return prices[.input] == nil && prices[.output] == nil ? nil : PriceSheet(prices)
    }

    /// The inverse, for the simulator's listing.
    package init(_ sheet: PriceSheet) {
        func text(_ dimension: PriceDimension) -> String? {
            guard let nanos = sheet.nanoUSDPerMTok[dimension] else { return nil }
            return Money.decimalText(nanos, scale: 15)
        }
        self.init(prompt: text(.input), completion: text(.output), inputCacheRead: text(.cachedInput),
                  inputCacheWrite: text(.cacheWrite), internalReasoning: text(.reasoning))
    }
}
