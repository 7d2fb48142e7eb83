import AssayCore

/// A provider-neutral chat request; adapters translate it to their wire format.
public struct ChatRequest: Sendable, Hashable {
    public struct Message: Sendable, Hashable {
        /// `tool`: the result of an assistant's tool call (`toolCallID` names the call).
        public enum Role: String, Sendable, Codable { case system, user, assistant, tool }
        public var role: Role
        /// The text (for a tool result: its content).
        public var content: String
        /// The calls an assistant message made.
        public var toolCalls: [ToolCall]
        /// For a tool result: the call it answers.
        public var toolCallID: String?
        /// For a tool result: the tool failed (Anthropic `is_error`, Gemini's `error` key;
        /// OpenAI has no field and drops it).
        public var isError = false

        public init(role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil, isError: Bool = false) {
            self.role = role
            self.content = content
            self.toolCalls = toolCalls
            self.toolCallID = toolCallID
            self.isError = isError
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
    package var effortParameter: EffortParameter?
    /// Functions the model may call.
    package var tools: [ChatTool] = []
    /// nil: the provider's default (auto when tools are offered).
    package var toolChoice: ToolChoice?
    /// Stop sequences: the answer ends before the first one it would contain.
    public var stop: [String] = []

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
    /// the prompt (tool calls and tool definitions included) at about four characters a token
    /// plus the output allowance (as OpenAI counts).
    package var estimatedTokens: Int {
        messages.reduce(0) { total, message in
            total + message.content.utf8.count / 4 + 4 + message.toolCalls.reduce(0) { $0 + ($1.name.utf8.count + $1.arguments.utf8.count) / 4 }
        } + tools.reduce(0) { $0 + ($1.name.utf8.count + ($1.description?.utf8.count ?? 0) + $1.parameters.jsonText.utf8.count) / 4 }
            + (maxTokens ?? 1_024)
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
    /// The tools the model called (the finish reason is then `tool_calls`, `tool_use` or Gemini's `STOP`).
    public var toolCalls: [ToolCall]
    /// The stop sequence that ended the answer, when the provider says (Anthropic does).
    public var stopSequence: String?
    /// The upstream's usage counts that were impossible (negative, absurd, parts larger than their
    /// whole) and were clamped into `usage`; empty for a sane answer.
    package var usageAnomalies: [String] = []
    /// The upstream's body this whole answer was read from (nil for streamed answers and test
    /// doubles): what a same-format proxy relays. Equality and hashing ignore it.
    package var upstreamBody: UpstreamBody? {
        get { kept.body }
        set { kept.body = newValue }
    }
    private var kept = KeptUpstreamBody()

    public init(text: String, usage: Usage, finishReason: String?, model: String?, latencyMs: Int, attempts: Int, ttftMs: Int? = nil,
                toolCalls: [ToolCall] = [], stopSequence: String? = nil) {
        self.toolCalls = toolCalls
        self.stopSequence = stopSequence
        self.text = text
        // No upstream answer can lower a counter or overflow a cost: impossible counts are clamped here, once, for every provider.
        (self.usage, self.usageAnomalies) = usage.clamped
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
    /// Streams the answer upstream, handing `onDelta` each piece as it arrives, and returns the
    /// whole answer. A retry happens only while nothing has been handed on.
    func streamAnswer(_ request: ChatRequest, onDelta: @escaping @Sendable (ChatDelta) async -> Void) async throws(ProviderError) -> ChatResponse
    /// Model ids the provider lists.
    func listModels() async throws(ProviderError) -> [String]
    /// The models the provider lists, with what the listing says about each.
    func listedModels() async throws(ProviderError) -> [ListedModel]
}

extension ModelProvider {
    /// For providers that cannot stream: the whole answer, handed on as one text delta and its tool calls.
    public func streamAnswer(_ request: ChatRequest, onDelta: @escaping @Sendable (ChatDelta) async -> Void) async throws(ProviderError) -> ChatResponse {
        let answer = try await complete(request)
        if !answer.text.isEmpty { await onDelta(.text(answer.text)) }
        for (index, call) in answer.toolCalls.enumerated() {
            await onDelta(.toolCallStart(index: index, id: call.id, name: call.name))
            await onDelta(.toolCallArguments(index: index, fragment: call.arguments))
        }
        return answer
    }

    public func listedModels() async throws(ProviderError) -> [ListedModel] { try await listModels().map { ListedModel(id: $0) } }
}
