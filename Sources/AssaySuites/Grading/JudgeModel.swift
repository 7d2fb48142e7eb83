/// A model that scores responses for the `judge` grader. The harness implements it over the
/// configured providers (temperature 0); tests and the simulator provide their own.
public protocol JudgeModel: Sendable {
    /// Stored with every score it gives, e.g. `sim/owl-judge`.
    var identity: String { get }
    /// The judge's raw reply to one grading prompt.
    func verdict(system: String, prompt: String) async throws -> String
}
