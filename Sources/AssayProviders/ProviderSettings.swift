import Foundation

/// How to reach one configured provider. The API key itself is read from the environment
/// variable `apiKeyEnv` at the moment of use and never stored, logged or printed.
public struct ProviderSettings: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case openai, anthropic, gemini }

    public var name: String
    public var kind: Kind
    /// Base URL up to and including `/v1`, e.g. `https://api.openai.com/v1`.
    public var baseURL: String
    public var apiKeyEnv: String?
    public var timeoutSeconds: Double
    public var retry: RetryPolicy
    /// `max_tokens` (widest support) or `max_completion_tokens` (OpenAI reasoning models).
    public var maxTokensField: String
    /// The field that carries the effort, unless a model overrides it.
    public var effortParameter: EffortParameter
    /// Ask for streamed answers (so time to first token is measured).
    public var stream: Bool
    /// Requests per minute, tokens per minute and requests in flight allowed to this provider.
    public var limits: RateLimits

    public init(name: String, kind: Kind = .openai, baseURL: String, apiKeyEnv: String? = nil, timeoutSeconds: Double = 120,
                retry: RetryPolicy = RetryPolicy(), maxTokensField: String = "max_tokens", effortParameter: EffortParameter? = nil,
                stream: Bool = false, limits: RateLimits = RateLimits()) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.timeoutSeconds = timeoutSeconds
        self.retry = retry
        self.maxTokensField = maxTokensField
        self.effortParameter = effortParameter ?? .default(for: kind)
        self.stream = stream
        self.limits = limits
    }

    /// The key from the environment; nil when no variable is configured. Throws (naming the
    /// variable, not the value) when one is configured but unset.
    package func apiKey(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ProviderError) -> String? {
        guard let apiKeyEnv else { return nil }
        guard let key = environment[apiKeyEnv], !key.isEmpty else {
            throw ProviderError(.auth, "provider '\(name)' needs an API key in the environment variable \(apiKeyEnv), which is not set")
        }
        return key
    }

    /// The effort field for `request` (its own override, else this provider's), refused when it
    /// belongs to another provider type or cannot express the requested effort.
    public func effortParameter(for request: ChatRequest) throws(ProviderError) -> EffortParameter {
        let parameter = request.effortParameter ?? effortParameter
        guard parameter.kinds.contains(kind) else {
            throw ProviderError(.badRequest, "effort_param '\(parameter.rawValue)' is not understood by \(kind.rawValue) providers ('\(name)')")
        }
        if let effort = request.effort, !parameter.expressibleEfforts.contains(effort) {
            throw ProviderError(.badRequest, "effort '\(effort.rawValue)' cannot be sent as '\(parameter.rawValue)' (it takes: \(parameter.expressibleEfforts.map(\.rawValue).joined(separator: ", ")))")
        }
        return parameter
    }
}
