import AssayCore

/// A row that stores a `Usage` as its five token columns (`sample`, and joins over it).
public protocol UsageColumns {
    var inputTokens: Int { get set }
    var cachedInputTokens: Int { get set }
    var cacheWriteTokens: Int { get set }
    var outputTokens: Int { get set }
    var reasoningTokens: Int { get set }
}

extension UsageColumns {
    public var usage: Usage {
        get {
            Usage(inputTokens: inputTokens, cachedInputTokens: cachedInputTokens, cacheWriteTokens: cacheWriteTokens,
                  outputTokens: outputTokens, reasoningTokens: reasoningTokens)
        }
        set {
            inputTokens = newValue.inputTokens
            cachedInputTokens = newValue.cachedInputTokens
            cacheWriteTokens = newValue.cacheWriteTokens
            outputTokens = newValue.outputTokens
            reasoningTokens = newValue.reasoningTokens
        }
    }
}
