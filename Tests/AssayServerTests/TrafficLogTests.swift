import AssayCore
@testable import AssayServer
import AssayTestSupport
import AssayTraffic
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

/// Every request through the proxy lands in the traffic log, off the request path: answered,
/// refused and streamed ones, with the decision, tokens, cost and the baseline's cost; never a
/// client key; prompts only when capture is on, redacted; and a graceful stop writes the rest.
@Suite struct TrafficLogTests {
    static func log(in directory: String) throws -> TrafficLog {
        TrafficLog(database: try TrafficDatabase(path: directory + "/traffic.sqlite"), logger: Logger(label: "test"))
    }

    @Test("answered, refused and streamed requests are recorded with decision, status, tokens, cost and baseline cost")
    func recorded() async throws {
        var fixture = try ServerFixture()
        let log = try Self.log(in: fixture.directory)
        fixture.settings.traffic = log
        fixture.settings.baseline = ServerFixture.dear
        try await fixture.test { client in
            _ = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat())
            _ = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat(maxTokens: -1))
            _ = try await client.execute(uri: "/v1/messages", method: .post, headers: Wire.json, body: Wire.messages(extra: ", \"stream\": true"))
        }
        await log.flush()
        let entries = try log.database.entries(limit: 10).reversed().map { $0 }
        try #require(entries.count == 3)
        let (answered, refused, streamed) = (entries[0], entries[1], entries[2])
        #expect(answered.status == 200 && answered.endpoint == "chat_completions" && answered.requestedModel == "auto")
        #expect(answered.model == "sim/cheap" && answered.effort == "none" && answered.task == "math" && answered.catalogSha256 != nil)
        #expect(answered.taskSource != nil && answered.usage == Usage(inputTokens: 20, outputTokens: 5))
        // 20 in + 5 out: $0.00003 on cheap, $0.0003 on the baseline (dear).
        #expect(answered.cost == Money(nanoUSD: 30_000) && answered.baselineCost == Money(nanoUSD: 300_000))
        #expect(refused.status == 400 && refused.error == "invalid_value" && refused.model == nil)
        #expect(streamed.endpoint == "messages" && streamed.stream && streamed.status == 200 && streamed.ttftMs != nil)
        #expect(entries.allSatisfy { $0.capture == nil }, "no prompt is stored unless capture is on")
        let report = try log.database.report(from: answered.day, to: answered.day, by: .model)
        #expect(report.totals.requests == 3 && report.totals.savingsNusd == 2 * 270_000)
    }

    @Test("the log never holds a client key, only its name")
    func noKeys() async throws {
        var fixture = try ServerFixture()
        let log = try Self.log(in: fixture.directory)
        fixture.settings.traffic = log
        let key = ClientKeyFile.newKey()
        fixture.settings.keys = try fixture.keys([.init(name: "team-a", sha256: ClientKeyFile.hash(key), createdAt: "2026-12-07T00:00:00Z")])
        var headers = Wire.json
        headers[.authorization] = "Bearer \(key)"
        let sent = headers
        try await fixture.test { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: sent, body: Wire.chat()) }
        }
        await log.flush()
        #expect(try log.database.entries(limit: 10).allSatisfy { $0.client == "team-a" })
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: fixture.directory + "/traffic.sqlite" + suffix) ?? Data()
            #expect(bytes.range(of: Data(key.utf8)) == nil && bytes.range(of: Data(ClientKeyFile.hash(key).utf8)) == nil)
        }
    }

    @Test("requests refused before any handler (a browser's origin, no key, an unknown key, a key over its rate) are recorded too")
    func refusedByMiddleware() async throws {
        var fixture = try ServerFixture()
        let log = try Self.log(in: fixture.directory)
        fixture.settings.traffic = log
        let key = ClientKeyFile.newKey()
        fixture.settings.keys = try fixture.keys([.init(name: "team-a", sha256: ClientKeyFile.hash(key), rpm: 1, createdAt: "2026-12-07T00:00:00Z")])
        var keyed = Wire.json
        keyed[.authorization] = "Bearer \(key)"
        var unknown = Wire.json
        unknown[.authorization] = "Bearer not-a-key"
        var browser = keyed
        browser[.origin] = "https://evil.example"
        let sent = (keyed, unknown, browser)
        try await fixture.test { client in
            let statuses = [
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: sent.0, body: Wire.chat()).status.code,
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: sent.0, body: Wire.chat()).status.code,
                try await client.execute(uri: "/v1/messages", method: .post, headers: Wire.json, body: Wire.messages()).status.code,
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: sent.1, body: Wire.chat()).status.code,
                try await client.execute(uri: "/v1/messages", method: .post, headers: sent.2, body: Wire.messages()).status.code,
                // Not an ingress endpoint: not in the log.
                try await client.execute(uri: "/v1/models", method: .get, headers: sent.1).status.code,
            ]
            #expect(statuses == [200, 429, 401, 401, 403, 401])
        }
        await log.flush()
        let entries = try log.database.entries(limit: 10).reversed().map { $0 }
        #expect(entries.map(\.status) == [200, 429, 401, 401, 403])
        #expect(entries.map(\.endpoint) == ["chat_completions", "chat_completions", "messages", "chat_completions", "messages"])
        #expect(entries.map(\.error) == [nil, "rate_limit_exceeded", "missing_api_key", "invalid_api_key", "origin_not_allowed"],
                "\(entries.map(\.error))")
        #expect(entries[1].client == "team-a" && entries.dropFirst(2).allSatisfy { $0.client == nil })
        let report = try log.database.report(from: entries[0].day, to: entries[0].day, by: .model)
        #expect(report.totals.requests == 5)
    }

    @Test("with capture on, prompts and answers are stored redacted and capped")
    func capture() async throws {
        var fixture = try ServerFixture(upstream: FakeUpstream(.init(text: "mail me at ana@example.org")))
        let log = try Self.log(in: fixture.directory)
        fixture.settings.traffic = log
        fixture.settings.capture = .init(sampleRate: 1, maxBytes: 200)
        let prompt = "My key is sk-proj-AbCdEf0123456789xyz and I am bob@example.com. What is 3 plus 5? " + String(repeating: "x", count: 500)
        let body = ByteBuffer(string: "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"\(prompt)\"}]}")
        try await fixture.test { client in
            _ = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: body)
        }
        await log.flush()
        let captured = try #require(try log.database.entries(limit: 1).first?.capture)
        #expect(captured.prompt.hasPrefix("user: My key is [secret] and I am [email]. What is 3 plus 5?"))
        #expect(captured.prompt.utf8.count <= 200 && captured.answer == "mail me at [email]")
    }

    @Test("a graceful stop writes every request answered before it")
    func gracefulStop() async throws {
        var fixture = try ServerFixture()
        let log = TrafficLog(database: try TrafficDatabase(path: fixture.directory + "/traffic.sqlite"),
                             settings: .init(flushInterval: .seconds(3_600)), logger: Logger(label: "test"))
        fixture.settings.traffic = log
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let holder = try RouterHolder(path: fixture.directory + "/catalog.json")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (app, _) = buildServerApplication(holder: holder, providers: ["sim": fixture.upstream], host: "127.0.0.1", port: 0,
                                              settings: fixture.settings, logger: logger) { port in portSink.yield(port) }
        let group = ServiceGroup(services: [log, app], gracefulShutdownSignals: [], logger: logger)
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let count = 40
        for _ in 0..<count {
            let connection = try RawConnection(port: port)
            connection.send(SlowClientTests.request(SlowClientTests.body, close: true))
            // Generous: this checks what a graceful stop writes, not latency, and the whole suite
            // runs in one process on shared cores (a CI run once took 15 s for one answer here).
            #expect(await connection.readResponse(for: 60).hasPrefix("HTTP/1.1 200"))
        }
        #expect(try log.database.requestCount() == 0, "nothing written yet: the flush interval is an hour")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try log.database.requestCount() == count)
        #expect(log.dropped == 0)
    }
}

extension TrafficLog {
    /// The SQLite file these tests give the log.
    var database: TrafficDatabase { store as! TrafficDatabase }
}
