import AssayCore
import AssayProviders
import AssaySuites

/// The `judge` grader's model, called through the configured providers at temperature 0.
package struct ProviderJudge: JudgeModel {
    package let model: ModelRef
    let provider: any ModelProvider
    let maxTokens: Int
    /// In a run: the budget each call reserves its ceiling from, and the judge's price.
    var meter: Meter?

    struct Meter: Sendable {
        var budget: RunBudget
        var price: PriceSheet
    }

    package init(model: ModelRef, provider: any ModelProvider, maxTokens: Int = 4096) {
        self.model = model
        self.provider = provider
        self.maxTokens = maxTokens
    }

    package var identity: String { model.description }

    package func verdict(system: String, prompt: String) async throws -> String {
        try await call(system: system, prompt: prompt).text
    }

    /// The judge's whole reply (text and usage), its ceiling reserved from the run's budget first when metered.
    func call(system: String, prompt: String) async throws -> ChatResponse {
        let request = ChatRequest(model: model.model, messages: [.init(role: .system, content: system), .init(role: .user, content: prompt)],
                                  maxTokens: maxTokens, temperature: 0, seed: 0)
        guard let meter else { return try await provider.complete(request) }
        let ceiling = try await reserve(meter, inputBytes: system.utf8.count + prompt.utf8.count)
        do {
            let response = try await provider.complete(request)
            await meter.budget.settle(ceiling, cost: meter.price.cost(of: response.usage), judge: true)
            return response
        } catch {
            await meter.budget.settle(ceiling, cost: .zero, judge: true)
            throw error
        }
    }

    /// Reserves the call's ceiling (input bounded by bytes, as for answers; output by max tokens).
    private func reserve(_ meter: Meter, inputBytes: Int) async throws -> Money {
        if let limit = meter.budget.limit, meter.price.isEmpty {
            throw AssayError(.config, "the judge \(model) has no known price, so its calls cannot be held to the run's budget of \(limit)",
                             hint: "give \(model) a price (scrape it, or 'price:' under models:) or run without a budget")
        }
        let ceiling = meter.price.ceiling(inputTokens: inputBytes + CostCeiling.templateTokens * 2, outputTokens: maxTokens)
        guard await meter.budget.reserve(ceiling) else {
            throw AssayError(.usage, "the run's budget is reached: this judge call (up to \(ceiling)) was not made",
                             hint: "the answer is kept; 'assay regrade' grades it later")
        }
        return ceiling
    }
}

extension Grading {
    /// The grading service a run uses: sandboxes bounded by `run.sandboxes`, and the configured
    /// judge (or `judge` when given, e.g. by `assay regrade --judge`).
    public init(config: AssayConfig, providers: ProviderRegistry, judge override: ModelRef? = nil) throws {
        var judge: ProviderJudge?
        if let ref = override ?? config.judge {
            guard let provider = providers[ref.provider] else {
                throw AssayError(.config, "the judge '\(ref)' names provider '\(ref.provider)', which is not configured",
                                 hint: "configured providers: \(providers.providers.keys.sorted().joined(separator: ", "))")
            }
            judge = ProviderJudge(model: ref, provider: provider)
        }
        self.init(sandbox: PythonSandbox(concurrency: config.sandboxes, allowUnsandboxed: config.allowUnsandboxedCode), judge: judge)
    }

    /// This service with its provider judge charged to `budget` at `prices`.
    func metered(by budget: RunBudget, prices: [ModelRef: PriceSheet]) -> Grading {
        guard var judge = judge as? ProviderJudge else { return self }
        judge.meter = ProviderJudge.Meter(budget: budget, price: prices[judge.model] ?? PriceSheet())
        return Grading(sandbox: sandbox, judge: judge)
    }
}
