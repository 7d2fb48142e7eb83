import AssayCore
@testable import AssayProviders
import Foundation
import Testing

/// A whole answer keeps the upstream's exact bytes and their format, for a same-format proxy to relay.
@Suite("Upstream body")
struct UpstreamBodyTests {
    @Test("a plain answer carries the bytes the upstream sent, byte for byte, in the dialect's format",
          arguments: ProviderSettings.Kind.allCases)
    func kept(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { SharedPathTests.documented(kind, $0) }) { baseURL, _ in
            let answer = try await SharedPathTests.provider(kind, baseURL: baseURL).complete(Requests.plain)
            let body = try #require(answer.upstreamBody)
            let name = ["openai": "openai-tool-calls.json", "anthropic": "anthropic-message.json", "gemini": "gemini-generate.json"][kind.rawValue]!
            #expect(body.bytes == Array(try Golden.text("responses/" + name).utf8))
            #expect(body.format == [ProviderSettings.Kind.openai: .openAI, .anthropic: .anthropic, .gemini: .gemini][kind])
        }
    }

    @Test("a streamed answer carries none: its bytes are events, not one answer")
    func streamedHasNone() async throws {
        try await FakeUpstream.withRunning(reply: { SharedPathTests.documented(.openai, $0) }) { baseURL, _ in
            let answer = try await SharedPathTests.provider(.openai, baseURL: baseURL).streamAnswer(Requests.plain) { _ in }
            #expect(answer.upstreamBody == nil && answer.text == "Hello there")
        }
    }
}
