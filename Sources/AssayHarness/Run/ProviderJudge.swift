import AssayCore
import AssayProviders
import AssaySuites

/// The `judge` grader's model, called through the configured providers at temperature 0.
public struct ProviderJudge: JudgeModel {
    public let model: ModelRef
    let provider: any ModelProvider
    let maxTokens: Int

    public init(model: ModelRef, provider: any ModelProvider, maxTokens: Int = 4096) {
        self.model = model
        self.provider = provider
        self.maxTokens = maxTokens
    }

    public var identity: String { model.description }

    public func verdict(system: String, prompt: String) async throws -> String {
        let request = ChatRequest(model: model.model, messages: [.init(role: .system, content: system), .init(role: .user, content: prompt)],
                                  maxTokens: maxTokens, temperature: 0, seed: 0)
        return try await provider.complete(request).text
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
}
