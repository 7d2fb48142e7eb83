import AssayCore

/// Google Gemini's `generateContent` wire format (the subset Assay sends and reads).
package enum GeminiWire {
    package struct Part: Codable, Sendable {
        package var text: String?
        /// True on parts that carry thought summaries rather than the answer.
        package var thought: Bool?
        package var functionCall: FunctionCall?
        package var functionResponse: FunctionResponse?
        /// Opaque; Gemini 3 puts one on the first `functionCall` part of a response and wants it
        /// back when the call is replayed in history.
        package var thoughtSignature: String?

        package init(text: String?, thought: Bool? = nil) {
            self.text = text
            self.thought = thought
        }

        package init(functionCall: FunctionCall, thoughtSignature: String? = nil) {
            self.functionCall = functionCall
            self.thoughtSignature = thoughtSignature
        }

        package init(functionResponse: FunctionResponse) { self.functionResponse = functionResponse }
    }

    package struct Content: Codable, Sendable {
        package var role: String?
        package var parts: [Part]

        package init(role: String?, parts: [Part]) {
            self.role = role
            self.parts = parts
        }
    }

    package struct ThinkingConfig: Codable, Sendable, Equatable {
        package var thinkingBudget: Int?
        package var thinkingLevel: String?

        package init(thinkingBudget: Int? = nil, thinkingLevel: String? = nil) {
            self.thinkingBudget = thinkingBudget
            self.thinkingLevel = thinkingLevel
        }
    }

    package struct GenerationConfig: Codable, Sendable {
        package var maxOutputTokens: Int?
        package var temperature: Double?
        package var seed: Int?
        package var thinkingConfig: ThinkingConfig?
        package var stopSequences: [String]?

        package init(maxOutputTokens: Int?, temperature: Double?, seed: Int?, thinkingConfig: ThinkingConfig?, stopSequences: [String]? = nil) {
            self.stopSequences = stopSequences
            self.maxOutputTokens = maxOutputTokens
            self.temperature = temperature
            self.seed = seed
            self.thinkingConfig = thinkingConfig
        }
    }

    package struct Request: Codable, Sendable {
        package var contents: [Content]
        package var systemInstruction: Content?
        package var generationConfig: GenerationConfig?
        package var tools: [Tool]?
        package var toolConfig: ToolConfig?

        package init(contents: [Content], systemInstruction: Content?, generationConfig: GenerationConfig?, tools: [Tool]? = nil,
                    toolConfig: ToolConfig? = nil) {
            self.tools = tools
            self.toolConfig = toolConfig
            self.contents = contents
            self.systemInstruction = systemInstruction
            self.generationConfig = generationConfig
        }
    }

    package struct UsageMetadata: Codable, Sendable, Equatable {
        /// Includes cached tokens.
        package var promptTokenCount: Int
        package var candidatesTokenCount: Int?
        package var thoughtsTokenCount: Int?
        package var cachedContentTokenCount: Int?
        package var totalTokenCount: Int?

        package init(promptTokenCount: Int, candidatesTokenCount: Int?, thoughtsTokenCount: Int?, cachedContentTokenCount: Int?,
                    totalTokenCount: Int?) {
            self.promptTokenCount = promptTokenCount
            self.candidatesTokenCount = candidatesTokenCount
            self.thoughtsTokenCount = thoughtsTokenCount
            self.cachedContentTokenCount = cachedContentTokenCount
            self.totalTokenCount = totalTokenCount
        }
    }

    package struct Candidate: Codable, Sendable {
        package var content: Content?
        package var finishReason: String?

        package init(content: Content?, finishReason: String?) {
            self.content = content
            self.finishReason = finishReason
        }
    }

    package struct Response: Codable, Sendable {
        package var candidates: [Candidate]?
        package var usageMetadata: UsageMetadata?
        package var modelVersion: String?
        /// Names the response (every chunk of a stream carries the same one).
        package var responseId: String?

        package init(candidates: [Candidate]?, usageMetadata: UsageMetadata?, modelVersion: String?, responseId: String? = nil) {
            self.responseId = responseId
            self.candidates = candidates
            self.usageMetadata = usageMetadata
            self.modelVersion = modelVersion
        }
    }

    package struct ModelList: Codable, Sendable {
        package var models: [Model]

        package struct Model: Codable, Sendable {
            /// `models/<id>`.
            package var name: String
            package var displayName: String?
            package var supportedGenerationMethods: [String]?
            package var inputTokenLimit: Int?

            package init(name: String, displayName: String?, supportedGenerationMethods: [String]?, inputTokenLimit: Int? = nil) {
                self.name = name
                self.displayName = displayName
                self.supportedGenerationMethods = supportedGenerationMethods
                self.inputTokenLimit = inputTokenLimit
            }
        }

        package init(models: [Model]) { self.models = models }
    }

    /// `{"error": {"code", "message", "status"}}`.
    package struct ErrorBody: Codable, Sendable {
        package var error: Detail

        package struct Detail: Codable, Sendable {
            package var code: Int
            package var message: String
            package var status: String
        }

        package init(code: Int, message: String, status: String) {
            self.error = Detail(code: code, message: message, status: status)
        }
    }
}
