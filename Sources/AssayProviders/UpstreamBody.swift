/// The bytes an upstream answered with, kept beside the decoded answer, so that a proxy whose
/// client speaks the same format can relay them (rewriting only what must change) instead of
/// encoding the decoded answer again.
///
/// Not part of the answer's value: two answers equal in every field are equal whatever bytes
/// they were read from (`ChatResponse` keeps it in a `KeptUpstreamBody`).
package struct UpstreamBody: Sendable, Hashable {
    package enum Format: Sendable, Hashable { case openAI, anthropic, gemini }

    package var format: Format
    package var bytes: [UInt8]
}

/// Holds an answer's `UpstreamBody` without making it part of the answer's value.
struct KeptUpstreamBody: Sendable, Hashable {
    var body: UpstreamBody?

    static func == (_: Self, _: Self) -> Bool { true }
    func hash(into _: inout Hasher) {}
}

extension WireDialect {
    /// The format this dialect reads, for `UpstreamBody`.
    static var upstreamFormat: UpstreamBody.Format {
        if Self.self == OpenAIDialect.self { return .openAI }
        if Self.self == AnthropicDialect.self { return .anthropic }
        return .gemini
    }
}
