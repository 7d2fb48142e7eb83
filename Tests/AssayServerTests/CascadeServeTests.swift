import AssayCore
import AssayCatalogFormat
import AssayProviders
@testable import AssayRouter
@testable import AssayServer
import AssayTraffic
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The cascade objective in the server (docs/cascades.md, "In the server"), over the fixture's
/// catalog (`sim/cheap@none`, `sim/dear@high`, task `math`) with a plan loaded from a real file:
/// the worker answers, the check runs, the advisor answers on doubt; every call is charged to
/// the key and counted in the traffic row; streamed requests are single picks.
@Suite struct CascadeServeTests {
    /// Every answer is 20 tokens in and 5 out: $0.00003 on cheap and peer, $0.0003 on dear.
    static let cheapCost = Money(nanoUSD: 30_000), dearCost = Money(nanoUSD: 300_000)
    static let tradeoff = HTTPField.Name("x-assay-tradeoff")!

    /// A plan for task `math`: worker cheap, advisor dear, `check` at `threshold`, beating the
    /// best single pick (or not, when `beats` is false), as `assay cascade plan --json` writes it.
    static func plan(_ check: CascadeCheck, threshold: Double = 1, beats: Bool = true, worker: String = "sim/cheap@none") -> CascadePlan {
        let interval = CascadeEvaluation.Interval(differences: beats ? [0, 0.1] : [-0.2, -0.1])
        let accuracy = CascadeEvaluation.CheckAccuracy(falseDoubt: 0.1, falseTrust: 0, rightAnswers: 5, wrongAnswers: 1)
        let point = CascadeEvaluation.Point(threshold: threshold, quality: 1, costNusd: 60_000, workerCostNusd: 30_000, checkCostNusd: 30_000,
                                            advisorCostNusd: 0, escalated: 0, unchecked: 0, versusAlwaysBest: interval, versusRouter: interval,
                                            costRatioToAlwaysBest: 0.2, checkShareOfWorker: 1, accuracy: accuracy)
        let chosen = CascadePlan.Chosen(spec: CascadeSpec(worker: worker, advisor: "sim/dear@high", check: check), point: point,
                                        versusBestSingle: interval, costRatioToBestSingle: 0.2)
        return CascadePlan(tasks: [.init(task: "math", selectionItems: 6, reportItems: 6, tried: 40, bestSingle: "sim/dear@high", baselines: [],
                                         cascade: chosen, verdict: beats ? "a cascade beats the best single pick" : "not shown to beat it")])
    }

    /// A fixture serving `plan` from a file, with a traffic log, a key with a 1-nano-dollar budget
    /// (so its spend can be read back), `sim/peer` priced as cheap, and the upstream's answers.
    static func fixture(_ plan: CascadePlan?, peer: String = "8", cheap: FakeUpstream.Behaviour = .init(),
                        byDefault: Bool = false, budget: String = "0.000000001") throws -> (ServerFixture, TrafficLog, HTTPFields) {
        var dear = FakeUpstream.Behaviour()
        dear.text = "8, says dear"
        var peerBehaviour = FakeUpstream.Behaviour()
        peerBehaviour.text = peer
        var fixture = try ServerFixture(upstream: FakeUpstream(models: ["cheap": cheap, "dear": dear, "peer": peerBehaviour]))
        fixture.settings.prices["sim/peer"] = ServerFixture.prices["sim/cheap"]
        if let plan {
            let path = fixture.directory + "/cascade-plan.json"
            try CatalogDocument.encoder().encode(plan).write(to: URL(fileURLWithPath: path))
            fixture.settings.cascades = try CascadeRoutes(path: path)
        }
        fixture.settings.cascadeByDefault = byDefault
        let log = TrafficLog(database: try TrafficDatabase(path: fixture.directory + "/traffic.sqlite"), logger: Logger(label: "test"))
        fixture.settings.traffic = log
        fixture.settings.baseline = ServerFixture.dear
        let key = ClientKeyFile.newKey()
        fixture.settings.keys = try fixture.keys([.init(name: "team-a", sha256: ClientKeyFile.hash(key), createdAt: "2026-12-07T00:00:00Z",
                                                        dailyBudgetUsd: budget)])
        var headers = Wire.json
        headers[.authorization] = "Bearer \(key)"
        return (fixture, log, headers)
    }

    /// `headers` with `x-assay-tradeoff: value`.
    static func with(_ headers: HTTPFields, _ value: String) -> HTTPFields {
        var headers = headers
        headers[tradeoff] = value
        return headers
    }

    /// What key `team-a` spent today.
    static func spent(_ fixture: ServerFixture) -> Money? { fixture.settings.keys?.exhaustedBudget("team-a")?.spent }

    static func route(_ response: TestResponse) -> String { response.headers[ProxyHandlers.routeHeader] ?? "" }

    @Test("trusted worker (OpenAI ingress): the worker's answer goes back; it and the agreement partner are paid, the advisor is not asked")
    func trusted() async throws {
        let (fixture, log, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none")))
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                let body = Wire.object(response.body)
                #expect(body["choices"]?.arrayValue?.first?.objectValue?["message"]?.objectValue?["content"]?.stringValue == "8")
                let route = Self.route(response)
                #expect(route.contains("cascade task=math path=worker"), "\(route)")
                #expect(route.contains("worker sim/cheap@none $0.000030000") && route.contains("check agreement:sim/peer@none trusted $0.000030000"), "\(route)")
                #expect(route.contains("advisor sim/dear@high not asked") && route.contains("total $0.000060000"), "\(route)")
            }
        }
        #expect(fixture.upstream.calls("cheap") == 1 && fixture.upstream.calls("peer") == 1 && fixture.upstream.calls("dear") == 0)
        #expect(Self.spent(fixture) == Self.cheapCost + Self.cheapCost)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.cascade == CascadeSteps(path: "worker", check: "agreement:sim/peer@none trusted", workerCost: Self.cheapCost,
                                            checkCost: Self.cheapCost, advisorCost: nil))
        #expect(row.cost == Self.cheapCost + Self.cheapCost && row.model == "sim/cheap")
        #expect(row.usage == Usage(inputTokens: 40, outputTokens: 10), "both calls' tokens")
        // Savings: the baseline (dear) prices the answer that went back once, against both calls.
        #expect(row.baselineCost == Self.dearCost)
    }

    @Test("doubted worker (Anthropic ingress): the advisor's answer goes back, and worker, check and advisor are all paid")
    func doubted() async throws {
        let (fixture, log, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none")), peer: "9")
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                #expect(response.status == .ok)
                let content = Wire.object(response.body)["content"]?.arrayValue?.first?.objectValue?["text"]?.stringValue
                #expect(content == "8, says dear")
                #expect(Wire.object(response.body)["model"]?.stringValue == "sim/dear")
                let route = Self.route(response)
                #expect(route.contains("path=advisor") && route.contains("check agreement:sim/peer@none doubted $0.000030000"), "\(route)")
                #expect(route.contains("advisor sim/dear@high $0.000300") && route.contains("total $0.000360"), "\(route)")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let line = String(buffer: response.body).split(separator: "\n").first { $0.hasPrefix("assay_cascade_requests_total{") }
                #expect(line?.contains("path=\"advisor\"") == true && line?.contains("task=\"math\"") == true && line?.hasSuffix(" 1") == true,
                        "\(String(describing: line))")
            }
        }
        #expect(fixture.upstream.calls("cheap") == 1 && fixture.upstream.calls("peer") == 1 && fixture.upstream.calls("dear") == 1)
        let total = Self.cheapCost + Self.cheapCost + Self.dearCost
        #expect(Self.spent(fixture) == total)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.endpoint == "messages" && row.model == "sim/dear" && row.effort == "high")
        #expect(row.cascade == CascadeSteps(path: "advisor", check: "agreement:sim/peer@none doubted", workerCost: Self.cheapCost,
                                            checkCost: Self.cheapCost, advisorCost: Self.dearCost))
        #expect(row.cost == total && row.usage == Usage(inputTokens: 60, outputTokens: 15))
        let report = try log.database.report(from: row.day, to: row.day, by: .model)
        #expect(report.totals.spendNusd == total.nanoUSD, "assay report's spend counts every call")
        #expect(report.totals.savingsNusd == Self.dearCost.nanoUSD - total.nanoUSD, "savings: the baseline once, against every call")
    }

    @Test("a failed worker sends the request to the advisor; the check's call is still paid")
    func workerFails() async throws {
        var broken = FakeUpstream.Behaviour()
        broken.failure = ProviderError(.server, "down")
        let (fixture, log, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none")), cheap: broken)
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                #expect(Self.route(response).contains("path=advisor") && Self.route(response).contains("unread"), "\(Self.route(response))")
            }
        }
        #expect(Self.spent(fixture) == Self.cheapCost + Self.dearCost)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.cascade?.workerCost == nil && row.cascade?.checkCost == Self.cheapCost && row.cascade?.advisorCost == Self.dearCost)
    }

    @Test("advisor and fallbacks all failing: 502, and the request's row and the key still count the worker's and the check's calls")
    func advisorFails() async throws {
        var broken = FakeUpstream.Behaviour()
        broken.failure = ProviderError(.server, "down")
        var fixture = try ServerFixture(upstream: FakeUpstream(models: ["cheap": broken, "dear": broken, "peer": .init(),
                                                                        "other": .init(text: "9")]))
        for model in ["sim/peer", "sim/other"] { fixture.settings.prices[model] = ServerFixture.prices["sim/cheap"] }
        let path = fixture.directory + "/cascade-plan.json"
        try CatalogDocument.encoder().encode(Self.plan(.agreement(partner: "sim/other@none"), worker: "sim/peer@none"))
            .write(to: URL(fileURLWithPath: path))
        fixture.settings.cascades = try CascadeRoutes(path: path)
        let log = TrafficLog(database: try TrafficDatabase(path: fixture.directory + "/traffic.sqlite"), logger: Logger(label: "test"))
        fixture.settings.traffic = log
        let key = ClientKeyFile.newKey()
        fixture.settings.keys = try fixture.keys([.init(name: "team-a", sha256: ClientKeyFile.hash(key), createdAt: "2026-12-07T00:00:00Z",
                                                        dailyBudgetUsd: "0.000000001")])
        var headers = Self.with(Wire.json, "cascade")
        headers[.authorization] = "Bearer \(key)"
        let sent = headers
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages", method: .post, headers: sent, body: Wire.messages()) { response in
                #expect(response.status == .badGateway)
            }
        }
        #expect(fixture.upstream.calls("peer") == 1 && fixture.upstream.calls("other") == 1 && fixture.upstream.calls("dear") == 1)
        #expect(Self.spent(fixture) == Self.cheapCost + Self.cheapCost)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.status == 502 && row.cost == Self.cheapCost + Self.cheapCost)
        #expect(row.cascade == CascadeSteps(path: "advisor", check: "agreement:sim/other@none doubted, advisor failed", workerCost: Self.cheapCost,
                                            checkCost: Self.cheapCost, advisorCost: nil))
    }

    @Test("the request's deadline covers the whole cascade: a worker that uses it up leaves no time to ask the advisor")
    func sharedDeadline() async throws {
        var slow = FakeUpstream.Behaviour()
        slow.delay = .seconds(5)
        var (fixture, _, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none")), cheap: slow)
        fixture.settings.deadline = .milliseconds(300)
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .badGateway)
                #expect(Wire.error(response.body, "message")?.contains("deadline") == true, "\(String(buffer: response.body))")
            }
        }
        #expect(fixture.upstream.calls("dear") == 0, "the advisor was never started past the deadline")
    }

    @Test("the estimate check: free and read before any call; trusted asks only the worker, doubted only the advisor")
    func estimate() async throws {
        for (threshold, doubted) in [(0.0, false), (1.0, true)] {
            let (fixture, log, keyHeaders) = try Self.fixture(Self.plan(.estimate, threshold: threshold))
            let snapshot = try RouterHolder(path: fixture.directory + "/catalog.json", options: fixture.routerOptions).snapshot
            let estimate = try #require(snapshot.estimates(prompt: "What is 3 plus 5?", task: "math")["sim/cheap@none"])
            if doubted { try #require(estimate < threshold, "the fixture's estimate of cheap must be below 1 for this case") }
            let headers = Self.with(keyHeaders, "cascade")
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Wire.chat()) { response in
                    #expect(response.status == .ok)
                    let route = Self.route(response)
                    #expect(route.contains(doubted ? "path=advisor" : "path=worker") && route.contains(doubted ? "doubted" : "trusted"), "\(route)")
                    #expect(route.contains(doubted ? "worker sim/cheap@none not asked" : "advisor sim/dear@high not asked"), "\(route)")
                }
            }
            #expect(fixture.upstream.calls("cheap") == (doubted ? 0 : 1) && fixture.upstream.calls("dear") == (doubted ? 1 : 0))
            #expect(Self.spent(fixture) == (doubted ? Self.dearCost : Self.cheapCost))
            await log.flush()
            let row = try #require(try log.database.entries(limit: 1).first)
            #expect(row.cascade?.checkCost == nil && row.cost == (doubted ? Self.dearCost : Self.cheapCost))
        }
    }

    @Test("/v1/route under the cascade objective names the task's worker, check and advisor, and asks nothing upstream")
    func routeOnly() async throws {
        let (fixture, _, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none"), threshold: 1))
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/route", method: .post, headers: headers, body: Wire.chat()) { response in
                #expect(response.status == .ok)
                #expect(Self.route(response).hasPrefix("cascade task=math: worker sim/cheap@none, check agreement:sim/peer@none at 1.0, advisor sim/dear@high; single pick: "),
                        "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("a streamed request under the cascade objective is routed as a single pick, and the header says so", arguments: ["/v1/chat/completions", "/v1/messages"])
    func streamed(path: String) async throws {
        let (fixture, log, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none")), peer: "9")
        let headers = Self.with(keyHeaders, "cascade")
        let body = path == "/v1/messages" ? Wire.messages(extra: ", \"stream\": true") : Wire.chat(extra: ", \"stream\": true")
        try await fixture.test { client in
            try await client.execute(uri: path, method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(Self.route(response).hasPrefix("cascade: not for a streamed request"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls == 1 && fixture.upstream.calls("cheap") == 1)
        #expect(Self.spent(fixture) == Self.cheapCost)
        await log.flush()
        let row = try #require(try log.database.entries(limit: 1).first)
        #expect(row.stream && row.cascade == nil && row.cost == Self.cheapCost)
    }

    @Test("a task whose plan does not beat its single pick is routed as today, and the header says why")
    func noCascadeForTask() async throws {
        let (fixture, _, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none"), beats: false))
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                #expect(response.status == .ok)
                #expect(Self.route(response).hasPrefix("cascade: none for task math, no cascade beats its single pick"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls == 1 && Self.spent(fixture) == Self.cheapCost)
    }

    @Test("serve.cascade.default: requests without the header take the cascade; one naming another objective does not")
    func byDefault() async throws {
        let (fixture, _, keyHeaders) = try Self.fixture(Self.plan(.agreement(partner: "sim/peer@none")), peer: "9", byDefault: true, budget: "1")
        let cheapest = Self.with(keyHeaders, "cheapest")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: keyHeaders, body: Wire.chat()) { response in
                #expect(Self.route(response).contains("cascade task=math path=advisor"), "\(Self.route(response))")
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: cheapest, body: Wire.chat()) { response in
                #expect(!Self.route(response).contains("cascade"), "\(Self.route(response))")
            }
        }
        #expect(fixture.upstream.calls("cheap") == 2 && fixture.upstream.calls("peer") == 1 && fixture.upstream.calls("dear") == 1)
    }

    @Test("bad cascade knobs are 400s naming the header, on both ingresses, and nothing is sent upstream",
          arguments: ["cascade, best", "cascade=1", "cascade, cascade", "utility=2, cascade", "cascade, max-cost=0.01", "cascades"])
    func badKnobs(value: String) async throws {
        let (fixture, _, keyHeaders) = try Self.fixture(Self.plan(.estimate))
        let headers = Self.with(keyHeaders, value)
        try await fixture.test { client in
            for (path, body) in [("/v1/chat/completions", Wire.chat()), ("/v1/messages", Wire.messages())] {
                try await client.execute(uri: path, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .badRequest)
                    #expect(Wire.error(response.body, "message")?.contains("x-assay-tradeoff") == true, "\(String(buffer: response.body))")
                }
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("asking for the cascade where no plan is served is a 400 naming the header and serve.cascade.plan")
    func noPlanServed() async throws {
        let (fixture, _, keyHeaders) = try Self.fixture(nil)
        let headers = Self.with(keyHeaders, "cascade")
        try await fixture.test { client in
            try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                #expect(response.status == .badRequest)
                let message = Wire.error(response.body, "message") ?? ""
                #expect(message.contains("x-assay-tradeoff") && message.contains("serve.cascade.plan"), "\(message)")
            }
        }
        #expect(fixture.upstream.calls == 0)
    }
}
