import AssayCore
import AssayProviders
@testable import AssayRouter
@testable import AssayServer
import AssayTraffic
import Foundation
import HTTPTypes
import Testing

/// The cascade's `judge` check in the server (docs/cascades.md, "In the server"): after the
/// worker answers, the configured judge (`sim/judge`, priced as cheap) scores that answer in the
/// judge prompt shape; below the plan's threshold the advisor answers. The judge's call is paid
/// and counted as the check's, like an agreement partner's.
@Suite struct CascadeJudgeServeTests {
    static let judge = ModelRef(provider: "sim", model: "judge")

    /// `CascadeServeTests`' fixture with the judge check at 0.8 and a judge that replies `verdict`
    /// (or fails).
    static func fixture(verdict: String, failing: Bool = false, judge: ModelRef? = Self.judge) throws -> (ServerFixture, TrafficLog, HTTPFields) {
        var (fixture, log, headers) = try CascadeServeTests.fixture(CascadeServeTests.plan(.judge, threshold: 0.8))
        var behaviour = FakeUpstream.Behaviour()
        behaviour.text = verdict
        if failing { behaviour.failure = ProviderError(.server, "the judge is down") }
        fixture.upstream.set("judge", behaviour)
        fixture.settings.prices["sim/judge"] = ServerFixture.prices["sim/cheap"]
        fixture.settings.cascadeJudge = judge
        return (fixture, log, CascadeServeTests.with(headers, "cascade"))
    }

    @Test("judge trusts the worker: its answer goes back; the judge was asked the worker's answer in the judge prompt shape, and is paid as the check")
    func trusted() async throws {
        let (fixture, log, headers) = try Self.fixture(verdict: "The answer is right.\nSCORE: 9/10")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                let body = Wire.object(response.body)
                #expect(body["choices"]?.arrayValue?.first?.objectValue?["message"]?.objectValue?["content"]?.stringValue == "8")
                let route = CascadeServeTests.route(response)
                #expect(route.contains("path=worker") && route.contains("check judge 0.900 vs 0.800 trusted $0.000030000"), "\(route)")
                #expect(route.contains("advisor sim/dear@high not asked") && route.contains("total $0.000060000"), "\(route)")
            }
        }
        #expect(fixture.upstream.calls("cheap") == 1 && fixture.upstream.calls("judge") == 1 && fixture.upstream.calls("dear") == 0)
        let asked = try #require(fixture.upstream.lastRequest("judge"))
        #expect(asked.messages.first?.role == .system && asked.messages.first?.content == JudgePrompt.system)
        #expect(asked.messages.last?.content == JudgePrompt.text(rubric: JudgePrompt.checkRubric, points: nil, task: "What is 3 plus 5?",
                                                                response: "8", scale: 10))
        #expect(asked.temperature == 0 && asked.effort == nil)
        #expect(CascadeServeTests.spent(fixture) == CascadeServeTests.cheapCost + CascadeServeTests.cheapCost)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.cascade == CascadeSteps(path: "worker", check: "judge 0.900 vs 0.800 trusted", workerCost: CascadeServeTests.cheapCost,
                                            checkCost: CascadeServeTests.cheapCost, advisorCost: nil))
        #expect(row.cost == CascadeServeTests.cheapCost + CascadeServeTests.cheapCost && row.usage == Usage(inputTokens: 40, outputTokens: 10))
    }

    @Test("judge scores below the threshold: the advisor answers (Anthropic ingress); worker, judge and advisor are all paid")
    func doubted() async throws {
        let (fixture, log, headers) = try Self.fixture(verdict: "Wrong sum.\nSCORE: 2/10")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                #expect(response.status == .ok)
                #expect(Wire.object(response.body)["model"]?.stringValue == "sim/dear")
                let route = CascadeServeTests.route(response)
                #expect(route.contains("path=advisor") && route.contains("check judge 0.200 vs 0.800 doubted $0.000030000"), "\(route)")
            }
        }
        let total = CascadeServeTests.cheapCost + CascadeServeTests.cheapCost + CascadeServeTests.dearCost
        #expect(fixture.upstream.calls("cheap") == 1 && fixture.upstream.calls("judge") == 1 && fixture.upstream.calls("dear") == 1)
        #expect(CascadeServeTests.spent(fixture) == total)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.cascade?.checkCost == CascadeServeTests.cheapCost && row.cascade?.advisorCost == CascadeServeTests.dearCost && row.cost == total)
    }

    @Test("a verdict without 'SCORE: n/10' (model output is untrusted) is doubt: the advisor answers, and the judge's call is still paid",
          arguments: ["SCORE: 11/10", "SCORE: 9/10 and more", "I cannot judge this.", "SCORE: -1/10", "SCORE: 9/100", ""])
    func unreadableVerdict(verdict: String) async throws {
        let (fixture, log, headers) = try Self.fixture(verdict: verdict)
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                let route = CascadeServeTests.route(response)
                #expect(route.contains("path=advisor") && route.contains("verdict without SCORE: n/10") && route.contains("unread"), "\(route)")
            }
        }
        #expect(fixture.upstream.calls("dear") == 1)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.cascade?.checkCost == CascadeServeTests.cheapCost && row.cascade?.path == "advisor")
    }

    @Test("a failed judge call is doubt: the advisor answers; the failed call costs nothing")
    func judgeFails() async throws {
        let (fixture, log, headers) = try Self.fixture(verdict: "", failing: true)
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                let route = CascadeServeTests.route(response)
                #expect(route.contains("path=advisor") && route.contains("judge (judge failed) unread"), "\(route)")
            }
        }
        #expect(fixture.upstream.calls("judge") == 1 && fixture.upstream.calls("dear") == 1)
        #expect(CascadeServeTests.spent(fixture) == CascadeServeTests.cheapCost + CascadeServeTests.dearCost)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.cascade?.checkCost == nil && row.cascade?.workerCost == CascadeServeTests.cheapCost)
    }

    @Test("the judge shares the request's deadline: a worker that uses it up leaves no judge call and no advisor")
    func sharedDeadline() async throws {
        var (fixture, _, sent) = try Self.fixture(verdict: "SCORE: 9/10")
        let headers = sent
        var slow = FakeUpstream.Behaviour()
        slow.delay = .seconds(5)
        fixture.upstream.set("cheap", slow)
        fixture.settings.deadline = .milliseconds(300)
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .badGateway)
            }
        }
        #expect(fixture.upstream.calls("judge") == 0 && fixture.upstream.calls("dear") == 0)
    }

    @Test("a conversation is judged as its turns; a single question as it was sent")
    func judgedTask() {
        let one: [ChatRequest.Message] = [.init(role: .system, content: "Be brief."), .init(role: .user, content: "What is 3 plus 5?")]
        #expect(ProxyHandlers.judgedTask(one) == "What is 3 plus 5?")
        let turns: [ChatRequest.Message] = [.init(role: .user, content: "Hi"), .init(role: .assistant, content: "Hello"),
                                            .init(role: .user, content: "And 3 plus 5?")]
        #expect(ProxyHandlers.judgedTask(turns) == "user: Hi\n\nassistant: Hello\n\nuser: And 3 plus 5?")
    }
}
