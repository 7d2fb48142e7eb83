import AssayCore
import AssayProviders
import AssaySimulator
import AssaySuites
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Faults injected by the live simulator, and how the adapter survives them.
@Suite("Fault injection")
struct FaultTests {
    static func provider(port: Int, client: HTTPClient, attempts: Int, timeout: Double = 60) -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(
            settings: ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", timeoutSeconds: timeout,
                                       retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01)),
            client: client, logger: Fixtures.quietLogger)
    }

    static let hello = ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "hi")])

    @Test("fault specs parse, and a bad one is refused", arguments: [
        ("429:retry-after=1:model=pebble-1:first=3", FaultRule(kind: .rateLimit(retryAfter: 1), model: "pebble-1", first: 3)),
        ("503", FaultRule(kind: .server(status: 503))),
        ("slow:ms=5000:every=10", FaultRule(kind: .slow(milliseconds: 5000), every: 10)),
        ("malformed:model=finch", FaultRule(kind: .malformed, model: "finch")),
        ("cut", FaultRule(kind: .cutStream)),
    ])
    func parse(spec: String, rule: FaultRule) {
        #expect(FaultRule(spec: spec) == rule)
    }

    @Test("unreadable fault specs", arguments: ["404", "slow", "429:colour=red", "429:first", ""])
    func badSpecs(spec: String) {
        #expect(FaultRule(spec: spec) == nil)
    }

    @Test("429s with Retry-After are waited out and retried")
    func rateLimitRetried() async throws {
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .rateLimit(retryAfter: 0.25), first: 2)]) { port in
            try await Fixtures.withClient { client in
                let started = ContinuousClock.now
                let response = try await Self.provider(port: port, client: client, attempts: 3).complete(Self.hello)
                #expect(response.attempts == 3)
                #expect(started.duration(to: .now) >= .milliseconds(500), "two waits of the Retry-After")
            }
        }
    }

    @Test("a 503 is retried; a 500 storm ends as a server error; malformed JSON is classified")
    func serverAndMalformed() async throws {
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .server(status: 503), model: "pebble-1", first: 1),
                                                      FaultRule(kind: .server(status: 500), model: "finch"),
                                                      FaultRule(kind: .malformed, model: "finch-mini")]) { port in
            try await Fixtures.withClient { client in
                let provider = Self.provider(port: port, client: client, attempts: 2)
                let recovered = try await provider.complete(Self.hello)
                #expect(recovered.attempts == 2)
                var finch = Self.hello
                finch.model = "finch"
                let server = await Fixtures.providerError { () async throws(ProviderError) in _ = try await provider.complete(finch) }
                #expect(server?.kind == .server && server?.statusCode == 500)
                finch.model = "finch-mini"
                let malformed = await Fixtures.providerError { () async throws(ProviderError) in _ = try await provider.complete(finch) }
                #expect(malformed?.kind == .malformedResponse)
            }
        }
    }

    @Test("the Anthropic and Gemini paths inject faults in their own error shapes, and the adapters retry them")
    func otherFormats() async throws {
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .rateLimit(retryAfter: 0.05), model: "pebble-1", first: 1),
                                                      FaultRule(kind: .server(status: 503), model: "finch", first: 1),
                                                      FaultRule(kind: .server(status: 500), model: "finch-mini")]) { port in
            try await Fixtures.withClient { client in
                func settings(_ kind: ProviderSettings.Kind, _ path: String) -> ProviderSettings {
                    ProviderSettings(name: "s", kind: kind, baseURL: "http://127.0.0.1:\(port)/\(path)", timeoutSeconds: 60,
                                     retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01))
                }
                let anthropic = AnthropicProvider(settings: settings(.anthropic, "v1"), client: client, logger: Fixtures.quietLogger)
                let gemini = GeminiProvider(settings: settings(.gemini, "v1beta"), client: client, logger: Fixtures.quietLogger)
                let first = try await anthropic.complete(Self.hello)
                #expect(first.attempts == 2)
                var finch = Self.hello
                finch.model = "finch"
                let second = try await gemini.complete(finch)
                #expect(second.attempts == 2)
                finch.model = "finch-mini"
                let failed = await Fixtures.providerError { () async throws(ProviderError) in _ = try await anthropic.complete(finch) }
                #expect(failed?.kind == .server && failed?.statusCode == 500)
            }
        }
    }

    @Test("a slow answer past the deadline is a timeout")
    func slow() async throws {
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .slow(milliseconds: 3_000))]) { port in
            try await Fixtures.withClient { client in
                let error = await Fixtures.providerError { () async throws(ProviderError) in
                    _ = try await Self.provider(port: port, client: client, attempts: 1, timeout: 0.3).complete(Self.hello)
                }
                #expect(error?.kind == .timeout)
            }
        }
    }

    @Test("a cut stream ends mid-answer without a finish reason or [DONE]")
    func cutStream() async throws {
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .cutStream)]) { port in
            try await Fixtures.withClient { client in
                let text = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/chat/completions",
                                                   #"{"model": "pebble-1", "messages": [{"role": "user", "content": "hi"}], "stream": true}"#).body
                #expect(text.hasPrefix("data: "))
                #expect(!text.contains("[DONE]") && !text.contains("finish_reason\":\"stop"))
            }
        }
    }
}
