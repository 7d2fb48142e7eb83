import AssayCore
import AssayProviders
import AssaySuites
import Foundation
import Synchronization

/// The simulator's brain, without HTTP: answers a chat request as the zoo says the model would.
public struct SimulatorEngine: Sendable {
    public let zoo: Zoo
    public let behaviour: Behaviour
    /// Suite items by the exact user message the harness sends for them.
    let index: [String: (suite: Suite, item: SuiteItem)]
    /// Completions answered, per model (served at `GET /stats`, so tests can count what was paid for).
    package let served = ServedCounter()

    public init(zoo: Zoo, suites: [Suite]) {
        self.zoo = zoo
        self.behaviour = Behaviour(zoo: zoo)
        var index: [String: (Suite, SuiteItem)] = [:]
        for suite in suites {
            for item in suite.items { index[item.renderedPrompt] = (suite, item) }
        }
        self.index = index
    }

    /// One simulated completion.
    public struct Completion: Sendable {
        public var text: String
        public var usage: Usage
        package var finishReason: String
        public var latencyMs: Double
        /// Whether the simulated model got a known suite item right (nil for unknown prompts).
        public var correct: Bool?
        /// The tools the model called (the text is then empty and the finish `tool_calls`).
        package var toolCalls: [ToolCall] = []
        /// The stop sequence the answer was cut at.
        package var stopSequence: String?
    }

    /// A request the simulator refuses, shaped like the provider's own error.
    public struct Refusal: Error, Sendable {
        public var status: Int
        package var type: String
        public var code: String?
        public var message: String
    }

    public func complete(model modelID: String, messages: [ChatRequest.Message], effortText: String?, maxTokens: Int?,
                         seed: Int?, tools: [ChatTool] = [], toolChoice: ToolChoice? = nil, stop: [String] = []) throws(Refusal) -> Completion {
        guard let model = zoo.model(modelID) else {
            throw Refusal(status: 404, type: "invalid_request_error", code: "model_not_found",
                          message: "The model '\(modelID)' does not exist. Available: \(zoo.models.map(\.id).joined(separator: ", "))")
        }
        // As the real APIs: a request for no tokens, or a negative number of them, is refused, never answered.
        if let maxTokens, maxTokens < 1 {
            throw Refusal(status: 400, type: "invalid_request_error", code: "invalid_value",
                          message: "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got \(maxTokens) instead.")
        }
        guard let last = messages.last(where: { $0.role == .user }) else {
            throw Refusal(status: 400, type: "invalid_request_error", code: "invalid_value",
                          message: "'messages' must contain at least one user message")
        }
        let effort = try resolveEffort(effortText, model: model)
        served.count(model.id)
        let promptTokens = messages.reduce(0) { $0 + Behaviour.tokens($1.content + $1.toolCalls.map(\.arguments).joined()) + 4 }
        if promptTokens > model.contextWindow {
            throw Refusal(status: 400, type: "invalid_request_error", code: "context_length_exceeded",
                          message: "This model's maximum context length is \(model.contextWindow) tokens. However, your messages resulted in \(promptTokens) tokens.")
        }
        let systemTokens = messages.filter { $0.role == .system }.reduce(0) { $0 + Behaviour.tokens($1.content) }
        let cached = systemTokens >= 1024 ? systemTokens / 128 * 128 : 0
        let requestSeed = seed ?? 0
        var text: String
        var correct: Bool?
        var reasoning: Int
        let lastTurn = messages.last { $0.role != .system }
        if lastTurn?.role != .tool,
           let call = SimulatedTools.call(model: model.id, tools: tools, choice: toolChoice, prompt: last.content) {
            let output = Behaviour.tokens(call.name + call.arguments)
            let usage = Usage(inputTokens: promptTokens, cachedInputTokens: cached, outputTokens: output, reasoningTokens: 0)
            return Completion(text: "", usage: usage, finishReason: "tool_calls",
                              latencyMs: zoo.latencyBaseMs + zoo.latencyPerOutputTokenMs * Double(output), correct: nil, toolCalls: [call])
        }
        if let result = lastTurn, result.role == .tool {
            text = SimulatedTools.answer(toResult: result, messages: messages)
            reasoning = 0
        } else if let verdict = SimulatedJudge.verdict(for: last.content, index: index) {
            text = verdict
            reasoning = behaviour.reasoningTokens(model: model, effort: effort, itemKey: last.content, difficulty: 2,
                                                  requestSeed: requestSeed)
        } else if let (suite, item) = index[last.content] {
            let isCorrect = behaviour.isCorrect(model: model, effort: effort, suite: suite, item: item, requestSeed: requestSeed)
            let variant = StableHash.unit(String(zoo.seed), model.id, effort.rawValue, suite.name, item.id, String(requestSeed), "variant")
            text = AnswerWriter(suite: suite, item: item, chatty: model.style == "chatty", variant: variant).answer(correct: isCorrect)
            correct = isCorrect
            reasoning = behaviour.reasoningTokens(model: model, effort: effort, itemKey: "\(suite.name)/\(item.id)",
                                                  difficulty: item.difficulty, requestSeed: requestSeed)
        } else {
            text = "I'm \(model.id), a simulated model. I can only answer Assay's suite items meaningfully; you asked: \""
                + String(last.content.prefix(80)) + "\""
            reasoning = behaviour.reasoningTokens(model: model, effort: effort, itemKey: last.content, difficulty: 3,
                                                  requestSeed: requestSeed)
        }
        let (stopped, stopSequence) = SimulatedTools.cut(text, at: stop)
        text = stopped
        var answerTokens = Behaviour.tokens(text)
        var finish = "stop"
        if let maxTokens, reasoning + answerTokens > maxTokens {
            // Out of budget: reasoning is spent first, the visible answer is cut.
            finish = "length"
            reasoning = min(reasoning, maxTokens)
            let room = max(0, maxTokens - reasoning)
            text = String(text.prefix(room * 4))
            answerTokens = room
            if correct == true { correct = false }
        }
        let usage = Usage(inputTokens: promptTokens, cachedInputTokens: cached,
                          outputTokens: answerTokens + reasoning, reasoningTokens: reasoning)
        let latency = zoo.latencyBaseMs + zoo.latencyPerOutputTokenMs * Double(usage.outputTokens)
        return Completion(text: text, usage: usage, finishReason: finish, latencyMs: latency, correct: correct,
                          stopSequence: finish == "stop" ? stopSequence : nil)
    }

    /// No effort means the model's default (its middle one); an effort it does not take is refused
    /// with OpenAI's wording.
    func resolveEffort(_ text: String?, model: Zoo.Model) throws(Refusal) -> Effort {
        let supported = model.efforts.keys.sorted()
        guard let text else { return supported[supported.count / 2] }
        guard let effort = Effort(rawValue: text), model.efforts[effort] != nil else {
            throw Refusal(status: 400, type: "invalid_request_error", code: "unsupported_value",
                          message: "Unsupported value: 'reasoning_effort' does not support '\(text)' with this model. Supported values are: \(supported.map { "'\($0.rawValue)'" }.joined(separator: ", ")).")
        }
        return effort
    }
}

/// Completions answered per model, shared by every copy of the engine.
package final class ServedCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    package init() {}

    func count(_ model: String) { counts.withLock { $0[model, default: 0] += 1 } }

    package var byModel: [String: Int] { counts.withLock { $0 } }
    package var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
