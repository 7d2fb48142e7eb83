import AssayCore

/// Google Gemini's `generateContent` wire format (the subset Assay sends and reads).
public enum GeminiWire {
    public struct Part: Codable, Sendable {
        public var text: String?
        /// True on parts that carry thought summaries rather than the answer.
        public var thought: Bool?
        public var functionCall: FunctionCall?
        public var functionResponse: FunctionResponse?
        /// Opaque; Gemini 3 puts one on the first `functionCall` part of a response and wants it
        /// back when the call is replayed in history.
        public var thoughtSignature: String?

        public init(text: String?, thought: Bool? = nil) {
            self.text = text
            self.thought = thought
        }

        public init(functionCall: FunctionCall, thoughtSignature: String? = nil) {
            self.functionCall = functionCall
            self.thoughtSignature = thoughtSignature
        }

        public init(functionResponse: FunctionResponse) { self.functionResponse = functionResponse }
    }

    public struct Content: Codable, Sendable {
        public var role: String?
        public var parts: [Part]

        public init(role: String?, parts: [Part]) {
            self.role = role
            self.parts = parts
        }
    }

    public struct ThinkingConfig: Codable, Sendable, Equatable {
        public var thinkingBudget: Int?
        public var thinkingLevel: String?

        public init(thinkingBudget: Int? = nil, thinkingLevel: String? = nil) {
            self.thinkingBudget = thinkingBudget
            self.thinkingLevel = thinkingLevel
        }
    }

    public struct GenerationConfig: Codable, Sendable {
        public var maxOutputTokens: Int?
        public var temperature: Double?
        public var seed: Int?
        public var thinkingConfig: ThinkingConfig?
        public var stopSequences: [String]?

        public init(maxOutputTokens: Int?, temperature: Double?, seed: Int?, thinkingConfig: ThinkingConfig?, stopSequences: [String]? = nil) {
            self.stopSequences = stopSequences
            self.maxOutputTokens = maxOutputTokens
            self.temperature = temperature
            self.seed = seed
            self.thinkingConfig = thinkingConfig
        }
    }

    public struct Request: Codable, Sendable {
        public var contents: [Content]
        public var systemInstruction: Content?
        public var generationConfig: GenerationConfig?
        public var tools: [Tool]?
        public var toolConfig: ToolConfig?

        public init(contents: [Content], systemInstruction: Content?, generationConfig: GenerationConfig?, tools: [Tool]? = nil,
                    toolConfig: ToolConfig? = nil) {
            self.tools = tools
            self.toolConfig = toolConfig
            self.contents = contents
            self.systemInstruction = systemInstruction
            self.generationConfig = generationConfig
        }
    }

    public struct UsageMetadata: Codable, Sendable, Equatable {
        /// Includes cached tokens.
        public var promptTokenCount: Int
        public var candidatesTokenCount: Int?
        public var thoughtsTokenCount: Int?
        public var cachedContentTokenCount: Int?
        public var totalTokenCount: Int?

        public init(promptTokenCount: Int, candidatesTokenCount: Int?, thoughtsTokenCount: Int?, cachedContentTokenCount: Int?,
                    totalTokenCount: Int?) {
            self.promptTokenCount = promptTokenCount
            self.candidatesTokenCount = candidatesTokenCount
            self.thoughtsTokenCount = thoughtsTokenCount
            self.cachedContentTokenCount = cachedContentTokenCount
            self.totalTokenCount = totalTokenCount
        }
    }

    public struct Candidate: Codable, Sendable {
        public var content: Content?
        public var finishReason: String?

        public init(content: Content?, finishReason: String?) {
            self.content = content
            self.finishReason = finishReason
        }
    }

    public struct Response: Codable, Sendable {
        public var candidates: [Candidate]?
        public var usageMetadata: UsageMetadata?
        public var modelVersion: String?
        /// Names the response (every chunk of a stream carries the same one).
        public var responseId: String?

        public init(candidates: [Candidate]?, usageMetadata: UsageMetadata?, modelVersion: String?, responseId: String? = nil) {
            self.responseId = responseId
            self.candidates = candidates
            self.usageMetadata = usageMetadata
            self.modelVersion = modelVersion
        }
    }

    public struct ModelList: Codable, Sendable {
        public var models: [Model]

        public struct Model: Codable, Sendable {
            /// `models/<id>`.
            public var name: String
            public var displayName: String?
            public var supportedGenerationMethods: [String]?
            public var inputTokenLimit: Int?

            public init(name: String, displayName: String?, supportedGenerationMethods: [String]?, inputTokenLimit: Int? = nil) {
                self.name = name
                self.displayName = displayName
                self.supportedGenerationMethods = supportedGenerationMethods
                self.inputTokenLimit = inputTokenLimit
            }
        }

        public init(models: [Model]) { self.models = models }
    }

    /// `{"error": {"code", "message", "status"}}`.
    public struct ErrorBody: Codable, Sendable {
        public var error: Detail

        public struct Detail: Codable, Sendable {
            public var code: Int
            public var message: String
            public var status: String
        }

        public init(code: Int, message: String, status: String) {
            self.error = Detail(code: code, message: message, status: status)
        }
    }
}
