import AssayCore
import AssayProviders
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
                    settings: ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", timeoutSeconds: 10),
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
                    settings: ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", timeoutSeconds: 10,
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
