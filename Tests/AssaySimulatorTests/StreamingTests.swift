import AssayCore
@testable import AssayProviders
import AssaySimulator
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

@Suite("Server-sent events")
struct StreamingTests {
    @Test("events are split at blank lines, whatever the chunking, with CRLF and multi-line data")
    func parser() {
        let stream = "data: one\n\n: comment\ndata: two\r\n\r\nevent: x\ndata: three\ndata: four\n\ndata: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        for chunkSize in [1, 3, 7, bytes.count] {
            var parser = SSEParser()
            var events: [String] = []
            var index = 0
            while index < bytes.count {
                events += parser.feed(bytes[index..<min(bytes.count, index + chunkSize)])
                index += chunkSize
            }
            #expect(events == ["one", "two", "three\nfour", "[DONE]"], "chunk size \(chunkSize)")
            #expect(!parser.hasPartialEvent)
        }
        var cut = SSEParser()
        #expect(cut.feed(Array("data: {\"partial".utf8)).isEmpty)
        #expect(cut.hasPartialEvent)
    }

    @Test("a streamed completion matches the plain one, with usage from the last chunk and a time to first token")
    func streamedCompletion() async throws {
        let suite = try #require(try Fixtures.shippedSuites().first { $0.task == "extraction" })
        let item = suite.items[4]
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 200) { port in
            try await Fixtures.withClient { client in
                let provider = OpenAICompatibleProvider(
                    settings: ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", timeoutSeconds: 60),
                    client: client, logger: Fixtures.quietLogger)
                var request = ChatRequest(model: "heron-flash", messages: [.init(role: .system, content: suite.system!), .init(role: .user, content: item.renderedPrompt)],
                                          maxTokens: 8_000, effort: .medium, seed: 0)
                let plain = try await provider.complete(request)
                request.stream = true
                let streamed = try await provider.complete(request)
                #expect(streamed.text == plain.text)
                #expect(streamed.usage == plain.usage && streamed.usage.reasoningTokens > 0)
                #expect(streamed.finishReason == "stop")
                let ttft = try #require(streamed.ttftMs)
                #expect(ttft >= 90 && ttft < streamed.latencyMs, "first token at half the latency, before the end")
            }
        }
    }

    @Test("a stream cut mid-answer is a truncated_stream error, not a short answer")
    func truncated() async throws {
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .cutStream)]) { port in
            try await Fixtures.withClient { client in
                let provider = OpenAICompatibleProvider(
                    settings: ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", timeoutSeconds: 60,
                                               retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01)),
                    client: client, logger: Fixtures.quietLogger)
                var request = ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "hi")])
                request.stream = true
                let error = await Fixtures.providerError { () async throws(ProviderError) in _ = try await provider.complete(request) }
                #expect(error?.kind == .truncatedStream)
            }
        }
    }
}

/// Streaming in all three wire formats against the live simulator.
@Suite("Streaming in every provider format")
struct ProviderStreamingTests {
    static func provider(_ kind: ProviderSettings.Kind, port: Int, client: HTTPClient, attempts: Int = 1) -> any ModelProvider {
        let base = kind == .gemini ? "http://127.0.0.1:\(port)/v1beta" : "http://127.0.0.1:\(port)/v1"
        let settings = ProviderSettings(name: "sim-\(kind.rawValue)", kind: kind, baseURL: base, timeoutSeconds: 60,
                                        retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01))
        return settings.adapter(client: client, logger: Fixtures.quietLogger)
    }

    @Test("streamed and plain answers agree: same text, same usage, a time to first token", arguments: ProviderSettings.Kind.allCases)
    func streamedMatchesPlain(kind: ProviderSettings.Kind) async throws {
        let suite = try #require(try Fixtures.shippedSuites().first { $0.task == "math" })
        let item = suite.items[3]
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 120) { port in
            try await Fixtures.withClient { client in
                let provider = Self.provider(kind, port: port, client: client)
                var request = ChatRequest(model: "heron-pro", messages: [.init(role: .system, content: suite.system!), .init(role: .user, content: item.renderedPrompt)],
                                          maxTokens: 20_000, effort: .high, seed: 0)
                let plain = try await provider.complete(request)
                request.stream = true
                let streamed = try await provider.complete(request)
                #expect(streamed.text == plain.text && !streamed.text.isEmpty)
                #expect(streamed.usage == plain.usage)
                #expect(streamed.usage.reasoningTokens > 0, "heron-pro reasons at high effort")
                #expect(streamed.finishReason == plain.finishReason)
                let ttft = try #require(streamed.ttftMs)
                #expect(ttft >= 50 && ttft <= streamed.latencyMs)
                #expect(plain.ttftMs == nil)
            }
        }
    }

    @Test("a stream cut mid-answer is truncated_stream in every format, and retried", arguments: ProviderSettings.Kind.allCases)
    func cutStream(kind: ProviderSettings.Kind) async throws {
        // The first two requests are cut; the third attempt gets the whole answer.
        try await Fixtures.withLiveSimulator(faults: [FaultRule(kind: .cutStream, first: 2)]) { port in
            try await Fixtures.withClient { client in
                var request = ChatRequest(model: "finch", messages: [.init(role: .user, content: "Say something long enough to stream in pieces.")])
                request.stream = true
                let once = Self.provider(kind, port: port, client: client)
                let error = await Fixtures.providerError { () async throws(ProviderError) in _ = try await once.complete(request) }
                #expect(error?.kind == .truncatedStream, "\(String(describing: error))")
                let retrying = Self.provider(kind, port: port, client: client, attempts: 3)
                let response = try await retrying.complete(request)
                #expect(response.attempts == 2 && !response.text.isEmpty)
            }
        }
    }

    @Test("an error event inside an Anthropic stream is classified like its HTTP twin")
    func anthropicErrorEvent() {
        #expect(ProviderError.fromAnthropicStreamError(type: "overloaded_error", message: "busy").kind == .server)
        #expect(ProviderError.fromAnthropicStreamError(type: "rate_limit_error", message: "slow down").kind == .rateLimited)
        #expect(ProviderError.fromAnthropicStreamError(type: "invalid_request_error", message: "no").kind == .badRequest)
    }
}
