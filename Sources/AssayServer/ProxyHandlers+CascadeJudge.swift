import AssayCore
import AssayProviders

/// The cascade's `judge` check (docs/cascades.md, "In the server"): the configured judge
/// (`judge:` in `assay.yaml`) scores the worker's answer to the live request with the generic
/// check rubric, in the one judge prompt shape (`JudgePrompt`, as the `judge` grader and `assay
/// regrade --judge-check` ask). Its call is walked, charged and priced as every other call.
extension ProxyHandlers {
    /// The judge's verdict on a worker answer: its call, and its score over the scale (nil when
    /// the call failed or the verdict does not end with `SCORE: n/10`).
    struct JudgeCheck: Sendable {
        var call: Result<Answered, Refusal>
        var score: Double?
    }

    /// Asks the judge about `answer` to `ask`; nil when the server has no judge.
    func judgeCheck(_ ask: Ask, answer: String, targets: Targets) async -> JudgeCheck? {
        guard let judge = settings.cascadeJudge else { return nil }
        let prompt = JudgePrompt.text(rubric: JudgePrompt.checkRubric, points: nil, task: Self.judgedTask(ask.messages),
                                      response: answer, scale: JudgePrompt.checkScale)
        let question = Ask(model: judge.description, messages: [.init(role: .system, content: JudgePrompt.system), .init(role: .user, content: prompt)],
                           maxTokens: Self.judgeMaxTokens, temperature: 0, seed: 0)
        let call = await step(question, Target(model: judge, effort: nil), targets: targets)
        let score = (try? call.get()).flatMap { JudgePrompt.score(in: $0.answer.text, scale: JudgePrompt.checkScale) }
        return JudgeCheck(call: call, score: score.map { Double($0) / Double(JudgePrompt.checkScale) })
    }

    /// The judge's room for its reasons and verdict (the judge grader's, `ProviderJudge`).
    static let judgeMaxTokens = 4096

    /// The task as the judge reads it: the one user message as sent, or, for a conversation, its
    /// turns (system prompt left out, as the judge grader reads an item's rendered prompt).
    static func judgedTask(_ messages: [ChatRequest.Message]) -> String {
        let turns = messages.filter { $0.role != .system }
        if turns.count == 1, let only = turns.first, only.role == .user { return only.content }
        return turns.map { "\($0.role.rawValue): \($0.content)" }.joined(separator: "\n\n")
    }
}
