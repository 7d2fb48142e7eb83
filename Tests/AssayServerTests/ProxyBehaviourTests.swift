import AssayCore
import AssayProviders
@testable import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The proxy's behaviours, one per test, in process against a fake upstream: routing and its
/// explanation, fallbacks, attempt timeouts, circuit breakers, streams that break off, and keys.
@Suite struct ProxyBehaviourTests {
    static func route(_ response: TestResponse) -> String { response.headers[ProxyHandlers.routeHeader] ?? "" }

    @Test("auto goes to the catalog's pick, and the answer names the model and explains the choice")
    func routed() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                #expect(Wire.object(response.body)["model"] == .string("sim/cheap"))
                #expect(Self.route(response).contains("catalog"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls("cheap") == 1 && fixture.upstream.calls("dear") == 0)
    }

    @Test("when the pick fails, its fallback answers and the route header names the failure")
    func fallback() async throws {
        let fixture = try ServerFixture(upstream: FakeUpstream(models: ["cheap": .init(failure: ProviderError(.server, "boom"))]))
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                #expect(Wire.object(response.body)["model"] == .string("sim/dear"))
                #expect(Self.route(response).contains("answered by sim/dear after: sim/cheap: server"), "\(Self.route(response))")
            }
        }
    }

    @Test("a pick slower than the attempt timeout is abandoned for the next candidate")
    func attemptTimeout() async throws {
        var fixture = try ServerFixture(upstream: FakeUpstream(models: ["cheap": .init(delay: .seconds(30))]))
        fixture.settings.attemptTimeout = .seconds(3)
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                #expect(Self.route(response).contains("sim/cheap: timeout"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.cancelled == 1, "the abandoned call was cancelled")
    }

    @Test("when every candidate fails the client gets 502 upstream_failed listing why, in its own shape")
    func everyCandidateFails() async throws {
        let fixture = try ServerFixture(upstream: FakeUpstream(.init(failure: ProviderError(.unreachable, "down"))))
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .badGateway)
                #expect(Wire.error(response.body, "code") == "upstream_failed")
                #expect(Wire.error(response.body, "message")?.contains("sim/cheap: unreachable; sim/dear: unreachable") == true)
            }
            try await client.execute(uri: "/v1/messages", method: .post, headers: Wire.json, body: Wire.messages()) { response in
                #expect(response.status == .badGateway)
                #expect(Wire.error(response.body, "type") == "api_error")
            }
        }
    }

    @Test("after three failures a model's circuit opens and it is skipped while others remain")
    func circuitBreaker() async throws {
        let fixture = try ServerFixture(upstream: FakeUpstream(models: ["cheap": .init(failure: ProviderError(.server, "boom"))]))
        try await fixture.test { client in
            for _ in 0..<3 {
                _ = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat())
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                #expect(Self.route(response).contains("sim/cheap: circuit open"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls("cheap") == 3, "the fourth request did not call the open circuit")
    }

    @Test("a stream that breaks off after its first piece ends with an error event, no fallback")
    func brokenStream() async throws {
        let fixture = try ServerFixture(upstream: FakeUpstream(.init(pieces: ["Hel", "lo"], breakAfter: 1)))
        try await fixture.test { client in
            let body = Wire.chat(extra: ", \"stream\": true")
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: body) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && text.contains("\"content\":\"Hel\""))
                #expect(text.contains("data: {\"error\":{") && !text.contains("[DONE]"), "\(text)")
            }
            try await client.execute(uri: "/v1/messages", method: .post, headers: Wire.json, body: Wire.messages(extra: ", \"stream\": true")) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("event: error") && !text.contains("message_stop"), "\(text)")
            }
        }
        #expect(fixture.upstream.calls("dear") == 0)
    }

    @Test("a stream whose pick fails before its first piece falls back, as a whole answer does")
    func streamFallback() async throws {
        let fixture = try ServerFixture(upstream: FakeUpstream(.init(pieces: ["Hi"]), models: ["cheap": .init(failure: ProviderError(.server, "boom"))]))
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(extra: ", \"stream\": true")) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("\"content\":\"Hi\"") && text.contains("[DONE]"), "\(text)")
                #expect(Self.route(response).contains("answered by sim/dear"))
            }
        }
    }

    @Test("with a keys file: no key 401, an unknown key 401, a known key answered, over its rpm 429", arguments: ["/v1/chat/completions", "/v1/messages"])
    func keys(path: String) async throws {
        var fixture = try ServerFixture()
        let key = ClientKeyFile.newKey()
        fixture.settings.keys = try fixture.keys([.init(name: "team-a", sha256: ClientKeyFile.hash(key), rpm: 2, createdAt: "2026-12-07T00:00:00Z")])
        let body = path == "/v1/messages" ? Wire.messages() : Wire.chat()
        try await fixture.test { client in
            try await client.execute(uri: path, method: .post, headers: Wire.json, body: body) { response in
                #expect(response.status == .unauthorized)
            }
            var wrong = Wire.json
            wrong[.authorization] = "Bearer sk-assay-nope"
            try await client.execute(uri: path, method: .post, headers: wrong, body: body) { response in
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains("sk-assay-nope"), "the key is never echoed")
            }
            var good = Wire.json
            good[.authorization] = "Bearer \(key)"
            for expected in [HTTPResponse.Status.ok, .ok, .tooManyRequests] {
                try await client.execute(uri: path, method: .post, headers: good, body: body) { response in
                    #expect(response.status == expected)
                    if expected == .tooManyRequests { #expect(response.headers[.retryAfter] != nil) }
                }
            }
        }
    }
}
