import AssayCore
import AssayProviders
import AssayStore
import AssaySuites

/// Asks one item of one model, grades the answer and prices it: what a local run and a grading
/// worker (`assay worker`) do for each request, so both store the same sample.
package struct ItemAsker: Sendable {
    /// The providers' settings (streaming) and the max tokens every answer may use.
    package var config: AssayConfig
    package var providers: ProviderRegistry

    package init(config: AssayConfig, providers: ProviderRegistry) {
        self.config = config
        self.providers = providers
    }

    /// Asks, grades and prices one item. Never throws: a failure becomes an error sample.
    func execute(_ work: WorkItem, grading: Grading) async -> SampleRecord {
        var messages: [ChatRequest.Message] = []
        if let system = work.suite.system { messages.append(.init(role: .system, content: system)) }
        messages.append(.init(role: .user, content: work.item.renderedPrompt))
        var request = ChatRequest(model: work.model.model, messages: messages, maxTokens: config.maxTokens,
                                  effort: work.effort, seed: work.epoch)
        request.effortParameter = work.effortParameter
        request.stream = config.providers[work.model.provider]?.stream ?? false
        guard let provider = providers[work.model.provider] else {
            return SampleRecord(jobId: work.jobID, itemId: work.itemID, epoch: work.epoch, status: .error,
                                errorKind: "config", errorMessage: "provider '\(work.model.provider)' is not configured")
        }
        do {
            let response = try await provider.complete(request)
            let cost = work.price.cost(of: response.usage)
            do throws(Grading.Failure) {
                let outcome = try await grading.grade(response.text, suite: work.suite, item: work.item)
                return SampleRecord(jobId: work.jobID, itemId: work.itemID, epoch: work.epoch, status: .ok, response: response.text,
                                    score: outcome.grade.score, passed: outcome.grade.passed, grader: work.suite.grader.typeName,
                                    gradeReason: outcome.grade.reason, usage: response.usage, cost: cost,
                                    latencyMs: response.latencyMs, ttftMs: response.ttftMs, gradeDetail: outcome.detail?.jsonText, judge: outcome.judge,
                                    judgeVerdict: outcome.verdict)
            } catch {
                // The answer is kept (and paid for); `assay regrade` can grade it later.
                return SampleRecord(jobId: work.jobID, itemId: work.itemID, epoch: work.epoch, status: .error, response: response.text,
                                    grader: work.suite.grader.typeName, usage: response.usage, cost: cost,
                                    latencyMs: response.latencyMs, ttftMs: response.ttftMs, errorKind: "grader", errorMessage: error.message,
                                    judge: error.judge, judgeVerdict: error.verdict)
            }
        } catch {
            return SampleRecord(jobId: work.jobID, itemId: work.itemID, epoch: work.epoch, status: .error,
                                errorKind: error.kind.rawValue, errorMessage: error.message)
        }
    }
}
