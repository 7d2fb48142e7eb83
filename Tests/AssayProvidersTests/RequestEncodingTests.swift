import AssayCore
@testable import AssayProviders
import Foundation
import Testing

/// What each dialect sends, pinned as golden JSON (Golden/requests). The simulator decodes with
/// the same wire types the adapters encode with, so a wrong field name would pass a round trip
/// through it; these files were checked against the providers' API references instead.
@Suite("Request encoding")
struct RequestEncodingTests {
    @Test("each dialect's body for each request shape matches its golden file",
          arguments: ProviderSettings.Kind.allCases, Requests.all.map(\.0))
    func golden(kind: ProviderSettings.Kind, shape: String) throws {
        let request = try #require(Requests.all.first { $0.0 == shape }?.1)
        let body = try kind.dialect.body(for: request, settings: kind.settings)
        try Golden.check(body, against: "requests/\(kind.rawValue)-\(shape).json")
    }

    @Test("OpenAI-compatible providers that want max_completion_tokens get it instead of max_tokens")
    func maxCompletionTokens() throws {
        var settings = ProviderSettings.Kind.openai.settings
        settings.maxTokensField = "max_completion_tokens"
        let json = try Golden.json(try OpenAIDialect.body(for: Requests.plain, settings: settings)).objectValue
        #expect(json?["max_completion_tokens"] == .number(256) && json?["max_tokens"] == nil)
    }

    @Test("paths: one for OpenAI and Anthropic, a model-named method for Gemini")
    func paths() {
        let request = Requests.plain
        #expect(OpenAIDialect.path(for: request, streaming: false) == "/chat/completions")
        #expect(OpenAIDialect.path(for: request, streaming: true) == "/chat/completions")
        #expect(AnthropicDialect.path(for: request, streaming: true) == "/messages")
        #expect(GeminiDialect.path(for: request, streaming: false) == "/models/m:generateContent")
        #expect(GeminiDialect.path(for: request, streaming: true) == "/models/m:streamGenerateContent?alt=sse")
    }

    @Test("auth headers: bearer, x-api-key with a version, x-goog-api-key; none without a key but Anthropic's version")
    func headers() {
        #expect(OpenAIDialect.headers(apiKey: "k").map { [$0.0, $0.1] } == [["authorization", "Bearer k"]])
        #expect(AnthropicDialect.headers(apiKey: "k").map { [$0.0, $0.1] } == [["anthropic-version", "2023-06-01"], ["x-api-key", "k"]])
        #expect(GeminiDialect.headers(apiKey: "k").map { [$0.0, $0.1] } == [["x-goog-api-key", "k"]])
        #expect(OpenAIDialect.headers(apiKey: nil).isEmpty && GeminiDialect.headers(apiKey: nil).isEmpty)
        #expect(AnthropicDialect.headers(apiKey: nil).map(\.0) == ["anthropic-version"])
    }
}
