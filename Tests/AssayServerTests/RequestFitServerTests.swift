import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayProviders
import AssayRouter
@testable import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Routing that respects the request, through the whole server: `max_tokens` against measured
/// output tokens, the `x-assay-tradeoff` knob, model-name aliases, the unknown-prompt policy and
/// Anthropic's `count_tokens`.
@Suite struct RequestFitServerTests {
    static func route(_ response: TestResponse) -> String { response.headers[ProxyHandlers.routeHeader] ?? "" }

    /// The fixture over a catalog where the cheap entry reasons: `sim/cheap@low` spends 200
    /// output tokens per answer (180 of them reasoning) for 30 nano-USD, `sim/dear@none`
    /// answers in 10 for 3,000; cheap fails `cheapMisses` of the 12 items, dear none.
    static func reasoningFixture(cheapMisses: Int = 0) throws -> ServerFixture {
        let fixture = try ServerFixture()
        let items = (0..<12).map { "item-\($0)" }
        var prompts: [ItemRef: String] = [:]
        for (index, key) in items.enumerated() { prompts[ItemRef(suite: "sums", item: key)] = "What is \(index + 3) plus \(2 * index + 5)?" }
        let facts = items.enumerated().flatMap { index, key in
            [SampleFact(provider: "sim", model: "cheap", effort: "low", task: "math", suite: "sums", itemKey: key, score: index < cheapMisses ? 0 : 1,
                        usage: Usage(inputTokens: 20, outputTokens: 200, reasoningTokens: 180), costNusd: 30, latencyMs: 100),
             SampleFact(provider: "sim", model: "dear", effort: "none", task: "math", suite: "sums", itemKey: key, score: 1,
                        usage: Usage(inputTokens: 20, outputTokens: 10), costNusd: 3_000, latencyMs: 900)]
        }
        let document = CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000), prompts: prompts).build(facts: facts)
        try CatalogDocument.encoder().encode(document).write(to: URL(fileURLWithPath: fixture.directory + "/catalog.json"))
        return fixture
    }

    @Test("max_tokens 32 is not sent to an effort whose measured reasoning alone spends more, in either API's field")
    func maxTokensFit() async throws {
        let fixture = try Self.reasoningFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(Wire.object(response.body)["model"] == .string("sim/cheap"), "no budget: the cheapest entry")
            }
            let bodies: [(String, ByteBuffer)] = [
                ("/v1/chat/completions", Wire.chat(maxTokens: 32)),
                ("/v1/chat/completions", Wire.chat(extra: ", \"max_completion_tokens\": 32")),
                ("/v1/messages", Wire.messages(maxTokens: 32)),
            ]
            for (uri, body) in bodies {
                try await client.execute(uri: uri, method: .post, headers: Wire.json, body: body) { response in
                    #expect(response.status == .ok)
                    #expect(Wire.object(response.body)["model"] == .string("sim/dear"), "\(uri): \(Self.route(response))")
                    #expect(Self.route(response).contains("1 entry left out: measured reasoning + answer tokens over max_tokens 32"), "\(Self.route(response))")
                }
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(maxTokens: 4)) { response in
                #expect(Wire.object(response.body)["model"] == .string("sim/dear"))
                #expect(Self.route(response).contains("no entry fits max_tokens 4, kept the smallest measured need"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls("dear") == 4 && fixture.upstream.calls("cheap") == 1)
    }

    @Test("a request with tools is not routed to a model whose listing says it takes none")
    func tools() async throws {
        var fixture = try ServerFixture()
        fixture.settings.modelsWithoutTools = ["sim/cheap"]
        let tool = #", "tools": [{"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}}]"#
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(extra: tool)) { response in
                #expect(response.status == .ok)
                #expect(Wire.object(response.body)["model"] == .string("sim/dear"), "\(Self.route(response))")
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(Wire.object(response.body)["model"] == .string("sim/cheap"), "without tools the cheap model still serves")
            }
        }
    }

    @Test("x-assay-tradeoff picks the objective and a cost cap per request; a bad value is 400 naming the header")
    func tradeoff() async throws {
        // Cheap misses 1 of 12 items: within a 20-point margin of dear, below it on quality.
        var fixture = try Self.reasoningFixture(cheapMisses: 1)
        fixture.routerOptions.margin = 0.2
        try await fixture.test { client in
            func routed(_ value: String) async throws -> String? {
                var headers = Wire.json
                headers[ProxyHandlers.tradeoffHeader] = value
                return try await client.execute(uri: "/v1/route", method: .post, headers: headers, body: Wire.chat()) { response in
                    #expect(response.status == .ok, "\(value): \(String(buffer: response.body))")
                    return Wire.object(response.body)["model"]?.stringValue
                }
            }
            #expect(try await routed("best") == "sim/dear")
            #expect(try await routed("cheapest") == "sim/cheap")
            #expect(try await routed("utility=0") == "sim/dear", "λ = 0 is quality alone")
            #expect(try await routed("utility=1000000") == "sim/cheap", "a large λ buys the cheapest")
            #expect(try await routed("best, max-cost=0.000001") == "sim/cheap", "dear costs $0.000003 per request")
            #expect(try await routed("Best , Max-Cost=1") == "sim/dear", "names are case-insensitive, spaces around parts ignored")
            for bad in ["fastest", "utility=-1", "utility=nan", "max-cost=abc", "best, cheapest", ""] {
                var headers = Wire.json
                headers[ProxyHandlers.tradeoffHeader] = bad
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                    #expect(response.status == .badRequest, "'\(bad)'")
                    #expect(Wire.error(response.body, "message")?.hasPrefix("header x-assay-tradeoff") == true, "\(String(buffer: response.body))")
                }
                try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                    #expect(response.status == .badRequest && Wire.error(response.body, "type") == "invalid_request_error")
                }
            }
        }
        #expect(fixture.upstream.calls == 0, "a refused trade-off reaches no upstream")
    }

    @Test("aliases route the concrete names a client sends; they apply before serve.passthrough")
    func aliases() async throws {
        var fixture = try ServerFixture()
        fixture.settings.passthrough = PassthroughPolicy(patterns: ["sim/*"])
        fixture.settings.aliases = ModelAliases([
            .init(pattern: "claude-sonnet-*", target: "auto"),
            .init(pattern: "gpt-?o", target: "sim/dear"),
            .init(pattern: "sim/dear", target: "auto:math"),
            .init(pattern: "elsewhere-*", target: "other/model"),
        ])
        try await fixture.test { client in
            func answer(_ model: String, anthropic: Bool = false) async throws -> (HTTPResponse.Status, String?, String) {
                let body = ByteBuffer(string: "{\"model\": \"\(model)\", \"max_tokens\": 64, \"messages\": [{\"role\": \"user\", \"content\": \"What is 3 plus 5?\"}]}")
                return try await client.execute(uri: anthropic ? "/v1/messages" : "/v1/chat/completions", method: .post, headers: Wire.json, body: body) {
                    ($0.status, Wire.object($0.body)["model"]?.stringValue, Self.route($0))
                }
            }
            let sonnet = try await answer("claude-sonnet-4-5-20250929", anthropic: true)
            #expect(sonnet.0 == .ok && sonnet.1 == "sim/cheap" && sonnet.2.contains("task math"), "\(sonnet)")
            let gpt = try await answer("gpt-4o")
            #expect(gpt.0 == .ok && gpt.1 == "sim/dear" && gpt.2 == "passthrough sim/dear", "an alias to a concrete model passes the passthrough check")
            let aliasedFirst = try await answer("sim/dear")
            #expect(aliasedFirst.1 == "sim/cheap" && aliasedFirst.2.contains("task math (model)"), "the alias wins over serve.passthrough: \(aliasedFirst)")
            let passed = try await answer("sim/cheap")
            #expect(passed.1 == "sim/cheap" && passed.2 == "passthrough sim/cheap", "no alias: passthrough as before")
            #expect(try await answer("claude-opus-4").0 == .notFound)
            #expect(try await answer("elsewhere-1").0 == .notFound, "an alias's concrete target is checked like a requested name")
        }
    }

    @Test("glob patterns match whole names; a long hostile name is refused by validation before matching")
    func patterns() {
        #expect(ModelAliases.matches("claude-sonnet-*", "claude-sonnet-4-5"))
        #expect(!ModelAliases.matches("claude-sonnet-*", "my-claude-sonnet-4"))
        #expect(ModelAliases.matches("*sonnet*", "anthropic/claude-sonnet-4"))
        #expect(ModelAliases.matches("gpt-?o", "gpt-4o") && !ModelAliases.matches("gpt-?o", "gpt-40o"))
        #expect(ModelAliases.matches("*", "") && !ModelAliases.matches("a", ""))
        #expect(ModelAliases.matches("a*b*c*d", String(repeating: "a", count: 200) + "bcd"))
        #expect(!ModelAliases.matches("a*a*a*a*b", String(repeating: "a", count: 256)))
    }

    @Test("a prompt far from every measured item goes to the configured default entry, and the header says so")
    func unknownPrompts() async throws {
        var fixture = try ServerFixture()
        fixture.routerOptions.unknownPrompts = UnknownPromptPolicy(rule: .defaultEntry("sim/dear@high"), similarityBelow: 0.15)
        try await fixture.test { client in
            for prompt in ["Hello! How are you today?", "Translate 'good morning' into French.", "Summarise this note: the meeting moved to Friday."] {
                let body = ByteBuffer(string: "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"\(prompt)\"}]}")
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: body) { response in
                    #expect(Wire.object(response.body)["model"] == .string("sim/dear"), "\(prompt): \(Self.route(response))")
                    #expect(Self.route(response).contains("unknown prompt (nearest item similarity"), "\(Self.route(response))")
                    #expect(Self.route(response).contains("policy default_entry"), "\(Self.route(response))")
                }
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(Wire.object(response.body)["model"] == .string("sim/cheap"), "a prompt like the items routes as usual: \(Self.route(response))")
                #expect(!Self.route(response).contains("unknown prompt"))
            }
            var named = Wire.json
            named[ProxyHandlers.taskHeader] = "math"
            let body = ByteBuffer(string: "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello! How are you today?\"}]}")
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: named, body: body) { response in
                #expect(!Self.route(response).contains("unknown prompt"), "a task the caller names is taken at its word")
            }
        }
    }

    @Test("a default entry the catalog lacks is refused when the catalog loads")
    func unknownDefaultEntry() throws {
        let fixture = try ServerFixture()
        var options = RouterOptions()
        options.unknownPrompts = UnknownPromptPolicy(rule: .defaultEntry("sim/nowhere@low"))
        #expect(throws: RouterLoadError.self) { try RouterHolder(path: fixture.directory + "/catalog.json", options: options) }
    }

    @Test("count_tokens answers input_tokens for a Messages body without max_tokens, behind the same checks")
    func countTokens() async throws {
        var fixture = try ServerFixture()
        fixture.settings.aliases = ModelAliases([.init(pattern: "claude-*", target: "auto")])
        try await fixture.test { client in
            func count(_ body: String) async throws -> (HTTPResponse.Status, [String: JSONValue]) {
                try await client.execute(uri: "/v1/messages/count_tokens", method: .post, headers: Wire.json, body: ByteBuffer(string: body)) {
                    ($0.status, Wire.object($0.body))
                }
            }
            let short = try await count(#"{"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"}]}"#)
            #expect(short.0 == .ok)
            let shortTokens = try #require(short.1["input_tokens"]?.numberValue)
            let long = try await count(#"{"model": "auto", "system": "You are terse.", "messages": [{"role": "user", "content": "\#(String(repeating: "word ", count: 400))"}]}"#)
            let longTokens = try #require(long.1["input_tokens"]?.numberValue)
            #expect(shortTokens >= 1 && longTokens >= 500 && longTokens < 600, "2,000 bytes ÷ 4 plus the system prompt: \(longTokens)")

            let missing = try await count(#"{"model": "auto"}"#)
            #expect(missing.0 == .badRequest && missing.1["type"] == .string("error"), "Anthropic's error shape: \(missing.1)")
            #expect(try await count(#"{"model": "auto", "messages": []}"#).0 == .badRequest)
            #expect(try await count(#"[1, 2]"#).0 == .badRequest)
            #expect(try await count(#"{"model": "someone/else", "messages": [{"role": "user", "content": "Hi"}]}"#).0 == .notFound)
            #expect(try await count(#"{"model": "auto:poetry", "messages": [{"role": "user", "content": "Hi"}]}"#).0 == .badRequest)
            #expect(try await count(#"{"model": "auto", "max_tokens": 999999999, "messages": [{"role": "user", "content": "Hi"}]}"#).0 == .badRequest)
            var browser = Wire.json
            browser[.origin] = "https://evil.example"
            try await client.execute(uri: "/v1/messages/count_tokens", method: .post, headers: browser,
                                     body: ByteBuffer(string: #"{"model": "auto", "messages": [{"role": "user", "content": "Hi"}]}"#)) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(fixture.upstream.calls == 0, "counting sends nothing upstream")
    }

    @Test("count_tokens needs a client key when keys are configured")
    func countTokensKeys() async throws {
        var fixture = try ServerFixture()
        let keyed = try ClientLimitsTests.keyed(&fixture)
        let body = #"{"model": "auto", "messages": [{"role": "user", "content": "Hi"}]}"#
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages/count_tokens", method: .post, headers: Wire.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/messages/count_tokens", method: .post, headers: keyed, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok && Wire.object(response.body)["input_tokens"] != nil)
            }
        }
    }
}
