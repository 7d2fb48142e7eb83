import AssayCore

/// A provider-neutral chat request; adapters translate it to their wire format.
public struct ChatRequest: Sendable, Hashable {
    public struct Message: Sendable, Hashable, Codable {
        public enum Role: String, Sendable, Codable { case system, user, assistant }
        public var role: Role
        public var content: String

        public init(role: Role, content: String) {
            self.role = role
            self.content = content
        }
    }

    public var model: String
    public var messages: [Message]
    public var maxTokens: Int?
    /// nil: send no effort parameter at all (the model's default).
    public var effort: Effort?
    public var temperature: Double?
    /// Sent as OpenAI's `seed`; the harness uses the epoch.
    public var seed: Int?
    /// Ask for a streamed answer (server-sent events); the response then carries time to first token.
    public var stream = false
    /// The field that carries `effort`; nil means the provider's configured default.
    public var effortParameter: EffortParameter?

    public init(model: String, messages: [Message], maxTokens: Int? = nil, effort: Effort? = nil, temperature: Double? = nil,
                seed: Int? = nil) {
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.effort = effort
        self.temperature = temperature
        self.seed = seed
    }
}

extension ChatRequest {
    /// What the request may count against a tokens-per-minute limit before the answer says:
    /// the prompt at about four characters a token plus the output allowance (as OpenAI counts).
    public var estimatedTokens: Int {
        messages.reduce(0) { $0 + $1.content.utf8.count / 4 + 4 } + (maxTokens ?? 1_024)
    }
}

/// A provider-neutral answer with normalised usage.
public struct ChatResponse: Sendable, Hashable {
    public var text: String
    public var usage: Usage
    public var finishReason: String?
    /// The model id the provider says answered (may differ from the requested alias).
    public var model: String?
    public var latencyMs: Int
    public var attempts: Int
    /// Milliseconds to the first content token (streamed answers only).
    public var ttftMs: Int?

    public init(text: String, usage: Usage, finishReason: String?, model: String?, latencyMs: Int, attempts: Int, ttftMs: Int? = nil) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
        self.model = model
        self.latencyMs = latencyMs
        self.attempts = attempts
        self.ttftMs = ttftMs
    }
}

/// Something that answers chat requests: a remote API adapter, or a test double.
public protocol ModelProvider: Sendable {
    /// The configured provider name (`sim`, `openai`, …).
    var name: String { get }
    func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse
    /// Model ids the provider lists.
    func listModels() async throws(ProviderError) -> [String]
    /// The models the provider lists, with what the listing says about each.
    func listedModels() async throws(ProviderError) -> [ListedModel]
}

extension ModelProvider {
    public func listedModels() async throws(ProviderError) -> [ListedModel] { try await listModels().map { ListedModel(id: $0) } }
}
