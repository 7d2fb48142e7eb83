import AssayCore
import AssaySuites
import Foundation

/// The simulated model zoo: behaviour profiles read from YAML (see `Resources/zoo.yaml` and
/// docs/simulator.md), so a model is added by editing data, not code.
public struct Zoo: Sendable, Hashable {
    public struct Model: Sendable, Hashable {
        public var id: String
        package var created: Date
        public var price: PriceSheet
        /// Logit skill per task kind; `default` applies to task kinds not listed.
        public var skill: [String: Double]
        public var efforts: [Effort: EffortProfile]
        /// `terse` answers with the bare answer; `chatty` wraps it in a sentence or a code fence.
        package var style: String
        package var contextWindow: Int

        public func skill(for task: String) -> Double { skill[task] ?? skill["default"] ?? 0 }
    }

    public struct EffortProfile: Sendable, Hashable {
        /// Added to the skill logit at this effort.
        package var boost: Double
        /// Mean reasoning tokens per request at difficulty 3 (scaled with difficulty).
        public var reasoningTokens: Int
    }

    public var provider: String
    public var seed: UInt64
    /// How much each difficulty step lowers the logit.
    package var difficultySlope: Double
    /// Per task kind, how strongly effort boosts help (reasoning pays more on math than on
    /// classification); `default` for kinds not listed.
    package var effortGain: [String: Double]

    package func effortGain(for task: String) -> Double { effortGain[task] ?? effortGain["default"] ?? 1 }
    /// Latent correlation between two models' draws on the same item (0 = independent mistakes,
    /// 1 = one shared draw, a stronger model then solves a superset of what a weaker one solves).
    public var itemCorrelation: Double = Zoo.defaultItemCorrelation
    package static let defaultItemCorrelation = 0.6
    package var latencyBaseMs: Double
    package var latencyPerOutputTokenMs: Double
    public var models: [Model]

    public func model(_ id: String) -> Model? { models.first { $0.id == id } }

    /// The built-in zoo shipped with Assay.
    public static func builtIn() throws -> Zoo {
        guard let url = Bundle.module.url(forResource: "zoo", withExtension: "yaml") else {
            throw AssayError(.io, "the built-in zoo profile (zoo.yaml) is missing from the installation",
                             hint: "pass --zoo FILE with a zoo profile")
        }
        return try load(file: url.path)
    }

    public static func load(file: String) throws -> Zoo {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw AssayError(.notFound, "cannot read the zoo profile \(file)")
        }
        let sink = DiagnosticSink(file: file)
        let zoo = ZooParser.parse(text, sink: sink)
        try sink.throwIfFailed(code: .config)
        return zoo!
    }
}
