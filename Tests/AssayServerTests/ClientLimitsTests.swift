import AssayCore
@testable import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What one client can take: concrete models only from the allow list (a flood of made-up names
/// grows nothing), requests at once, and per key a daily spend budget and a max-tokens cap, each
/// refused in the client's own error shape.
@Suite struct ClientLimitsTests {
    @Test("a flood of distinct made-up model names is refused with 404 and grows neither metrics nor tables")
    func modelNameFlood() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let before = try await client.execute(uri: "/metrics", method: .get, headers: Wire.json).body.readableBytes
            for index in 0..<300 {
                let model = index % 2 == 0 ? "sim/made-up-\(index)" : "elsewhere/model-\(index)"
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(model: model)) { response in
                    #expect(response.status == .notFound)
                    #expect(Wire.error(response.body, "code") == "model_not_found")
                }
            }
            let after = try await client.execute(uri: "/metrics", method: .get, headers: Wire.json)
            let text = String(buffer: after.body)
            #expect(!text.contains("made-up") && !text.contains("elsewhere"))
            // Only the requests counter's 404 series is new.
            #expect(after.body.readableBytes - before < 400)
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("passthrough takes listed models, the catalog's, and serve.passthrough patterns; nothing else")
    func passthroughPolicy() {
        let policy = PassthroughPolicy(models: ["sim/cheap"], patterns: ["openai/gpt-5*", "anthropic/claude-opus-4"])
        #expect(policy.allows(ModelRef(provider: "sim", model: "cheap")))
        #expect(policy.allows(ModelRef(provider: "openai", model: "gpt-5-mini")))
        #expect(policy.allows(ModelRef(provider: "anthropic", model: "claude-opus-4")))
        #expect(!policy.allows(ModelRef(provider: "anthropic", model: "claude-opus-4-1")))
        #expect(!policy.allows(ModelRef(provider: "openai", model: "gpt-4o")))
        #expect(!PassthroughPolicy.none.allows(ModelRef(provider: "sim", model: "cheap")))
    }

    @Test("past serve.max_in_flight a request gets 503 with retry-after, in each API's shape, and the next one is served")
    func inFlightLimit() async throws {
        var fixture = try ServerFixture(upstream: FakeUpstream(.init(delay: .seconds(8))))
        fixture.settings.load.maxInFlight = 1
        (fixture.settings.attemptTimeout, fixture.settings.deadline) = (.seconds(30), .seconds(60))
        let upstream = fixture.upstream
        try await fixture.test(.live) { client in
            // The test client sends one request at a time: the slow one goes on a connection of its own.
            let slow = try RawConnection(port: try #require(client.port))
            slow.send(SlowClientTests.request(SlowClientTests.body, close: true))
            let sent = ContinuousClock.now
            while upstream.calls == 0 && sent.duration(to: .now) < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                #expect(Wire.error(response.body, "code") == "overloaded")
            }
            try await client.execute(uri: "/v1/messages", method: .post, headers: Wire.json, body: Wire.messages()) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(Wire.error(response.body, "type") == "overloaded_error")
            }
            #expect(await slow.readResponse(for: 30).hasPrefix("HTTP/1.1 200"))
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// A key named `name` with `budget` and `maxTokens`, and its headers.
    static func keyed(_ fixture: inout ServerFixture, budget: String? = nil, maxTokens: Int? = nil) throws -> HTTPFields {
        let key = ClientKeyFile.newKey()
        fixture.settings.keys = try fixture.keys([.init(name: "team-a", sha256: ClientKeyFile.hash(key), createdAt: "2026-12-07T00:00:00Z",
                                                        dailyBudgetUsd: budget, maxTokens: maxTokens)])
        var headers = Wire.json
        headers[.authorization] = "Bearer \(key)"
        return headers
    }

    @Test("a key's daily spend budget: answered until spent, then 429 insufficient_quota with retry-after until UTC midnight")
    func dailyBudget() async throws {
        // Each answer: 20 in + 5 out on sim/cheap = $0.00003; the budget allows two.
        var fixture = try ServerFixture()
        let headers = try Self.keyed(&fixture, budget: "0.00005")
        try await fixture.test { client in
            for expected in [HTTPResponse.Status.ok, .ok, .tooManyRequests] {
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat(model: "sim/cheap")) { response in
                    #expect(response.status == expected)
                    if expected == .tooManyRequests {
                        #expect(Wire.error(response.body, "type") == "insufficient_quota")
                        #expect(Wire.error(response.body, "message")?.contains("team-a") == true)
                        let retry = try #require(response.headers[.retryAfter].flatMap(Int.init))
                        #expect(retry >= 1 && retry <= 86_400)
                    }
                }
            }
            try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Wire.error(response.body, "type") == "rate_limit_error")
            }
        }
        #expect(fixture.upstream.calls == 2)
    }

    @Test("a key's max_tokens cap is lower than the server's and refuses above it")
    func keyMaxTokens() async throws {
        var fixture = try ServerFixture()
        let headers = try Self.keyed(&fixture, maxTokens: 100)
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat(maxTokens: 101)) { response in
                #expect(response.status == .badRequest)
                #expect(Wire.error(response.body, "message")?.contains("at most 100") == true)
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat(maxTokens: 100)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a day's spend renews at UTC midnight")
    func budgetRenews() throws {
        var fixture = try ServerFixture()
        _ = try Self.keyed(&fixture, budget: "1")
        let gate = try #require(fixture.settings.keys)
        let evening = Date(timeIntervalSince1970: 1_796_000_000 - 1_796_000_000.truncatingRemainder(dividingBy: 86_400) + 86_000)
        gate.charge("team-a", Money(dollars: "1.5")!, now: evening)
        let refused = try #require(gate.exhaustedBudget("team-a", now: evening))
        #expect(refused.retryAfter == 400)
        #expect(gate.exhaustedBudget("team-a", now: evening.addingTimeInterval(401)) == nil)
    }
}
