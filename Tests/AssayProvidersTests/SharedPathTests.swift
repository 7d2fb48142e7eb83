import AssayCore
@testable import AssayProviders
import AsyncHTTPClient
import Foundation
import Logging
import Testing

/// The one request path every dialect shares (`HTTPModelProvider`), against a fake upstream
/// that answers with documented bodies: what goes out (path, auth, body) and what comes back.
@Suite("Shared request path")
struct SharedPathTests {
    static let logger = Logger(label: "providers-test") { _ in SwiftLogNoOpLogHandler() }

    /// The canned answer for a request at `uri`, as each API documents it.
    static func documented(_ kind: ProviderSettings.Kind, _ received: FakeUpstream.Received) -> FakeUpstream.Reply {
        let name: String
        var contentType = "application/json"
        if received.method == "GET" {
            name = "\(kind.rawValue)-models.json"
        } else if received.uri.contains("stream") || String(decoding: received.body, as: UTF8.self).contains(#""stream":true"#) {
            name = "\(kind.rawValue)-stream.sse"
            contentType = "text/event-stream"
        } else {
            name = ["openai": "openai-tool-calls.json", "anthropic": "anthropic-message.json", "gemini": "gemini-generate.json"][kind.rawValue]!
        }
        return FakeUpstream.Reply(contentType: contentType, body: (try? Golden.text("responses/" + name)) ?? "")
    }

    static func provider(_ kind: ProviderSettings.Kind, baseURL: String, retry: RetryPolicy = RetryPolicy(maxAttempts: 1)) -> any ModelProvider {
        let settings = ProviderSettings(name: kind.rawValue, kind: kind, baseURL: baseURL, apiKeyEnv: "TEST_KEY", timeoutSeconds: 10, retry: retry)
        return settings.adapter(client: HTTPClient.shared, logger: logger, environment: ["TEST_KEY": "secret-key"])
    }

    static let authHeader: [ProviderSettings.Kind: (String, String)] = [
        .openai: ("authorization", "Bearer secret-key"), .anthropic: ("x-api-key", "secret-key"), .gemini: ("x-goog-api-key", "secret-key"),
    ]

    @Test("a plain answer: the dialect's path, auth and golden body go out; the documented answer comes back",
          arguments: ProviderSettings.Kind.allCases)
    func plain(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { Self.documented(kind, $0) }) { baseURL, log in
            let answer = try await Self.provider(kind, baseURL: baseURL).complete(Requests.tools)
            #expect(!answer.toolCalls.isEmpty && answer.attempts == 1)
            let sent = try #require(log.requests.first)
            #expect(sent.method == "POST" && sent.uri == "/v1" + kind.dialect.path(for: Requests.tools, streaming: false))
            let (name, value) = try #require(Self.authHeader[kind])
            #expect(sent.headers[name] == value)
            #expect(sent.headers["content-type"] == "application/json" && sent.headers["accept"] == "application/json")
            try Golden.check(sent.body, against: "requests/\(kind.rawValue)-tools.json")
        }
    }

    @Test("a streamed answer: pieces handed on as they arrive, usage from the stream, the whole answer returned",
          arguments: ProviderSettings.Kind.allCases)
    func streamed(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { Self.documented(kind, $0) }) { baseURL, log in
            let pieces = PieceLog()
            var request = Requests.effort
            request.stream = false  // streamAnswer asks for a stream itself
            let answer = try await Self.provider(kind, baseURL: baseURL).streamAnswer(request) { await pieces.append($0) }
            #expect(answer.text == "Hello there" && answer.ttftMs != nil)
            #expect(await pieces.text == "Hello there")
            #expect(answer.usage.inputTokens == ["openai": 9, "anthropic": 25, "gemini": 8][kind.rawValue])
            let sent = try #require(log.requests.first)
            #expect(sent.uri == "/v1" + kind.dialect.path(for: request, streaming: true) && sent.headers["accept"] == "text/event-stream")
            try Golden.check(sent.body, against: "requests/\(kind.rawValue)-effort.json")
        }
    }

    @Test("complete() on a streamed request reads the stream and returns the same answer", arguments: ProviderSettings.Kind.allCases)
    func completeStreamed(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { Self.documented(kind, $0) }) { baseURL, _ in
            let answer = try await Self.provider(kind, baseURL: baseURL).complete(Requests.effort)
            #expect(answer.text == "Hello there" && answer.model != nil)
        }
    }

    @Test("model lists come from GET /models with the same auth", arguments: ProviderSettings.Kind.allCases)
    func models(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { Self.documented(kind, $0) }) { baseURL, log in
            let ids = try await Self.provider(kind, baseURL: baseURL).listModels()
            #expect(!ids.isEmpty && !ids.contains { $0.hasPrefix("models/") })
            let sent = try #require(log.requests.first)
            let (name, value) = try #require(Self.authHeader[kind])
            #expect(sent.method == "GET" && sent.uri == "/v1/models" && sent.headers[name] == value)
        }
    }

    @Test("an error status is classified, retried while retryable, and the key never appears in the message",
          arguments: ProviderSettings.Kind.allCases)
    func errors(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { _ in
            FakeUpstream.Reply(status: 503, body: #"{"error":{"message":"overloaded, key secret-key"}}"#, headers: ["retry-after": "0"])
        }) { baseURL, log in
            let provider = Self.provider(kind, baseURL: baseURL, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0))
            do throws(ProviderError) {
                _ = try await provider.complete(Requests.plain)
                Issue.record("a 503 was read as an answer")
            } catch {
                #expect(error.kind == .server && !error.message.contains("secret-key"))
            }
            #expect(log.requests.count == 2)
        }
    }

    @Test("a missing API key is refused before anything is sent", arguments: ProviderSettings.Kind.allCases)
    func missingKey(kind: ProviderSettings.Kind) async throws {
        try await FakeUpstream.withRunning(reply: { Self.documented(kind, $0) }) { baseURL, log in
            let settings = ProviderSettings(name: "p", kind: kind, baseURL: baseURL, apiKeyEnv: "UNSET_KEY")
            let provider = settings.adapter(client: HTTPClient.shared, logger: Self.logger, environment: [:])
            do throws(ProviderError) {
                _ = try await provider.complete(Requests.plain)
                Issue.record("a request went without its key")
            } catch {
                #expect(error.kind == .auth && error.message.contains("UNSET_KEY"))
            }
            #expect(log.requests.isEmpty)
        }
    }
}

/// The pieces a stream handed on, in order.
actor PieceLog {
    private var pieces: [ChatDelta] = []
    func append(_ piece: ChatDelta) { pieces.append(piece) }
    var text: String {
        pieces.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
    }
}
