import AssayCore
import AssayProviders
import AssaySimulator
import AssaySuites
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// The OpenAI-compatible adapter against the simulator on a real loopback socket.
@Suite("Adapter against the live simulator")
struct LiveSimulatorTests {
    static func provider(port: Int, client: HTTPClient, apiKeyEnv: String? = nil, environment: [String: String] = [:],
                         timeout: Double = 60, attempts: Int = 2) -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(
            settings: ProviderSettings(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", apiKeyEnv: apiKeyEnv,
                                       timeoutSeconds: timeout, retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01)),
            client: client, logger: Fixtures.quietLogger, environment: environment)
    }

    static let hello = ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "hi")])

    @Test("a completion comes back with normalised usage including reasoning tokens")
    func completion() async throws {
        let suite = try #require(try Fixtures.shippedSuites().first { $0.task == "math" })
        let item = suite.items[3]
        try await Fixtures.withLiveSimulator { port in
            try await Fixtures.withClient { client in
                let response = try await Self.provider(port: port, client: client).complete(ChatRequest(
                    model: "condor-max",
                    messages: [.init(role: .system, content: suite.system!), .init(role: .user, content: item.renderedPrompt)],
                    maxTokens: 32_000, effort: .high, seed: 0))
                #expect(suite.grader.grade(response.text, item: item).passed)
                #expect(response.usage.inputTokens > 10)
                #expect(response.usage.reasoningTokens > 1_000)
                #expect(response.usage.outputTokens > response.usage.reasoningTokens)
                #expect(response.finishReason == "stop")
                #expect(response.model == "condor-max")
            }
        }
    }

    @Test("the model list is OpenAI's format")
    func models() async throws {
        try await Fixtures.withLiveSimulator { port in
            try await Fixtures.withClient { client in
                let models = try await Self.provider(port: port, client: client).listModels()
                #expect(models.contains("pebble-1") && models.contains("condor-max"))
            }
        }
    }

    @Test("errors are classified: unknown model, unsupported effort, bad key, missing key")
    func errors() async throws {
        try await Fixtures.withLiveSimulator(apiKey: "secret-key") { port in
            try await Fixtures.withClient { client in
                let good = Self.provider(port: port, client: client, apiKeyEnv: "SIM_KEY", environment: ["SIM_KEY": "secret-key"])
                let unknown = await Fixtures.providerError { () async throws(ProviderError) in _ = try await good.complete(ChatRequest(model: "nope", messages: Self.hello.messages)) }
                #expect(unknown?.kind == .badRequest && unknown?.statusCode == 404)
                var unsupported = Self.hello
                unsupported.effort = .xhigh
                let effort = await Fixtures.providerError { () async throws(ProviderError) in _ = try await good.complete(unsupported) }
                #expect(effort?.kind == .badRequest && effort?.statusCode == 400)
                #expect(effort?.message.contains("reasoning_effort") == true)

                let wrongKey = Self.provider(port: port, client: client, apiKeyEnv: "SIM_KEY", environment: ["SIM_KEY": "other-value"])
                let auth = await Fixtures.providerError { () async throws(ProviderError) in _ = try await wrongKey.complete(Self.hello) }
                #expect(auth?.kind == .auth)
                #expect(auth?.message.contains("other-value") == false, "the key must never appear in an error")

                let missingKey = Self.provider(port: port, client: client, apiKeyEnv: "SIM_KEY", environment: [:])
                let missing = await Fixtures.providerError { () async throws(ProviderError) in _ = try await missingKey.complete(Self.hello) }
                #expect(missing?.kind == .auth && missing?.message.contains("SIM_KEY") == true)
            }
        }
    }

    @Test("nothing listening is 'unreachable'")
    func unreachable() async throws {
        try await Fixtures.withClient { client in
            let error = await Fixtures.providerError { () async throws(ProviderError) in _ = try await Self.provider(port: 1, client: client, attempts: 1).complete(Self.hello) }
            #expect(error?.kind == .unreachable)
        }
    }

    @Test("a request slower than the deadline times out")
    func timeout() async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 2_000) { port in
            try await Fixtures.withClient { client in
                let slow = Self.provider(port: port, client: client, timeout: 0.2, attempts: 1)
                let error = await Fixtures.providerError { () async throws(ProviderError) in _ = try await slow.complete(Self.hello) }
                #expect(error?.kind == .timeout)
            }
        }
    }

    @Test("stream: true sends OpenAI's server-sent events with usage in the last chunk, then [DONE]")
    func streaming() async throws {
        let item = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" }).items[0]
        try await Fixtures.withLiveSimulator { port in
            try await Fixtures.withClient { client in
                let prompt = JSONValue.string(item.renderedPrompt).jsonText
                let body = #"{"model": "finch", "messages": [{"role": "user", "content": \#(prompt)}], "reasoning_effort": "medium", "stream": true, "stream_options": {"include_usage": true}}"#
                let (_, headers, text) = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/chat/completions", body)
                #expect(headers["content-type"] == "text/event-stream")
                let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.allSatisfy { $0.hasPrefix("data: ") })
                #expect(events.last == "data: [DONE]")
                let chunks = events.dropLast().compactMap { JSONValue(parsing: String($0.dropFirst(6)))?.objectValue }
                #expect(chunks.count == events.count - 1)
                #expect(chunks.allSatisfy { $0["object"] == .string("chat.completion.chunk") })
                let content = chunks.compactMap {
                    $0["choices"]?.arrayValue?.first?.objectValue?["delta"]?.objectValue?["content"]?.stringValue
                }.joined()
                #expect(content.lowercased().contains(item.answer.scalarText!.lowercased()))
                let usage = try #require(chunks.last?["usage"]?.objectValue)
                #expect(chunks.last?["choices"]?.arrayValue?.isEmpty == true)
                #expect(usage["completion_tokens_details"]?.objectValue?["reasoning_tokens"]?.numberValue ?? 0 > 0)
                #expect(usage["prompt_tokens_details"]?.objectValue?["cached_tokens"] != nil)
            }
        }
    }

    @Test("garbage bodies get OpenAI-shaped 400 errors; the pricing page lists every model")
    func garbageAndPricing() async throws {
        try await Fixtures.withLiveSimulator { port in
            try await Fixtures.withClient { client in
                let (status, _, body) = try await Fixtures.post(client, "http://127.0.0.1:\(port)/v1/chat/completions", "{not json")
                #expect(status == 400)
                let error = JSONValue(parsing: body)
                #expect(error?.objectValue?["error"]?.objectValue?["type"] == .string("invalid_request_error"))

                let page = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/pricing"), timeout: .seconds(60))
                let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
                for model in try Zoo.builtIn().models { #expect(html.contains(">\(model.id)<")) }
                #expect(html.contains("$15.00 / MTok"))
            }
        }
    }
}
