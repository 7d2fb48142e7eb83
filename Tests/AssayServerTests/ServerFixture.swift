import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayProviders
import AssayRouter
@testable import AssayServer
import AssayStore
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// `assay serve`'s application built in process, as `assay serve` builds it, over a two-entry
/// catalog (`sim/cheap` at effort none and `sim/dear` at high, one task, `math`) and a fake
/// upstream whose answers each test sets. Tests drive it with Hummingbird's test client:
/// `.router` (no socket) or `.live` (a real socket on port 0).
struct ServerFixture {
    let directory: String
    let upstream: FakeUpstream
    var settings: ServerSettings
    /// The router's options for every snapshot (the unknown-prompt policy, for instance).
    var routerOptions = RouterOptions()

    init(upstream: FakeUpstream = FakeUpstream()) throws {
        directory = try Fixtures.temporaryDirectory()
        self.upstream = upstream
        settings = ServerSettings(prices: Self.prices, deadline: .seconds(120), attemptTimeout: .seconds(60))
        settings.passthrough = PassthroughPolicy(models: ["sim/cheap", "sim/dear"])
        let data = try CatalogDocument.encoder().encode(Self.document())
        try data.write(to: URL(fileURLWithPath: directory + "/catalog.json"))
    }

    static let cheap = ModelRef(provider: "sim", model: "cheap")
    static let dear = ModelRef(provider: "sim", model: "dear")
    /// $1/MTok in and $2/MTok out for cheap, 10× that for dear.
    static let prices: [String: PriceSheet] = [
        cheap.description: PriceSheet([.input: 1_000_000_000, .output: 2_000_000_000]),
        dear.description: PriceSheet([.input: 10_000_000_000, .output: 20_000_000_000]),
    ]

    static func document(margin: Double = 0.02) -> CatalogDocument {
        let items = (0..<12).map { "item-\($0)" }
        var prompts: [ItemRef: String] = [:]
        for (index, key) in items.enumerated() { prompts[ItemRef(suite: "sums", item: key)] = "What is \(index + 3) plus \(2 * index + 5)?" }
        let facts = items.flatMap { key in
            [SampleFact(provider: "sim", model: "cheap", effort: "none", task: "math", suite: "sums", itemKey: key, score: 1,
                        usage: Usage(inputTokens: 20, outputTokens: 5), costNusd: 30, latencyMs: 100),
             SampleFact(provider: "sim", model: "dear", effort: "high", task: "math", suite: "sums", itemKey: key, score: 1,
                        usage: Usage(inputTokens: 20, outputTokens: 50), costNusd: 3_000, latencyMs: 900)]
        }
        return CatalogBuilder(margin: margin, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000), prompts: prompts).build(facts: facts)
    }

    func application() throws -> some ApplicationProtocol {
        let holder = try RouterHolder(path: directory + "/catalog.json", options: routerOptions)
        var logger = Logger(label: "assay-serve-test")
        logger.logLevel = .critical
        return buildServerApplication(holder: holder, providers: ["sim": upstream], host: "127.0.0.1", port: 0,
                                      settings: settings, logger: logger) { _ in }.application
    }

    /// Runs `body` against the application through Hummingbird's test client.
    func test<Value>(_ kind: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await application().test(kind, body)
    }

    /// A keys file in the fixture's folder holding `entries`, and the gate that reads it.
    func keys(_ entries: [ClientKeyFile.Entry]) throws -> ClientKeyGate {
        let path = directory + "/keys.json"
        try ClientKeyFile(keys: entries).write(to: path)
        return try ClientKeyGate(path: path, defaultRPM: 0)
    }
}

/// JSON bodies and headers as clients send them.
enum Wire {
    static let json: HTTPFields = [.contentType: "application/json"]

    static func chat(model: String = "auto", maxTokens: Int? = nil, extra: String = "") -> ByteBuffer {
        let tokens = maxTokens.map { ", \"max_tokens\": \($0)" } ?? ""
        return ByteBuffer(string: "{\"model\": \"\(model)\", \"messages\": [{\"role\": \"user\", \"content\": \"What is 3 plus 5?\"}]\(tokens)\(extra)}")
    }

    static func messages(maxTokens: Int = 64, extra: String = "") -> ByteBuffer {
        ByteBuffer(string: "{\"model\": \"auto\", \"max_tokens\": \(maxTokens), \"messages\": [{\"role\": \"user\", \"content\": \"What is 3 plus 5?\"}]\(extra)}")
    }

    static func object(_ buffer: ByteBuffer) -> [String: JSONValue] {
        JSONValue(parsing: String(buffer: buffer))?.objectValue ?? [:]
    }

    /// `error.<field>` of an OpenAI-shaped error body (Anthropic's keeps `type` and `message` there too).
    static func error(_ buffer: ByteBuffer, _ field: String) -> String? {
        object(buffer)["error"]?.objectValue?[field]?.stringValue
    }
}

/// The upstream every model of provider `sim` answers from: what it answers and how, set per
/// test and per model; counts the calls it got (by model) and the ones cancelled while waiting.
final class FakeUpstream: ModelProvider, Sendable {
    struct Behaviour: Sendable {
        var usage = Usage(inputTokens: 20, outputTokens: 5)
        var delay: Duration = .zero
        var text = "8"
        /// Fail at once with this error instead of answering.
        var failure: ProviderError?
        /// Streamed: the answer in these pieces, failing after `breakAfter` of them when set.
        var pieces = ["8"]
        var breakAfter: Int?
    }

    let name = "sim"
    private let state = Mutex<(behaviours: [String: Behaviour], calls: [String: Int], cancelled: Int, last: [String: ChatRequest])>(([:], [:], 0, [:]))
    private let fallback: Behaviour

    /// `behaviour` for every model, unless `models` names one of its own.
    init(_ behaviour: Behaviour = Behaviour(), models: [String: Behaviour] = [:]) {
        fallback = behaviour
        state.withLock { $0.behaviours = models }
    }

    var calls: Int { state.withLock { $0.calls.values.reduce(0, +) } }
    func calls(_ model: String) -> Int { state.withLock { $0.calls[model] ?? 0 } }
    var cancelled: Int { state.withLock { $0.cancelled } }
    /// Answers `model` with `behaviour` from now on.
    func set(_ model: String, _ behaviour: Behaviour) { state.withLock { $0.behaviours[model] = behaviour } }
    /// The last request sent to `model`.
    func lastRequest(_ model: String) -> ChatRequest? { state.withLock { $0.last[model] } }

    private func begin(_ request: ChatRequest) async throws(ProviderError) -> Behaviour {
        let behaviour = state.withLock { state in
            state.calls[request.model, default: 0] += 1
            state.last[request.model] = request
            return state.behaviours[request.model] ?? fallback
        }
        if let failure = behaviour.failure { throw failure }
        if behaviour.delay > .zero {
            do { try await Task.sleep(for: behaviour.delay) } catch {
                state.withLock { $0.cancelled += 1 }
                throw ProviderError(.timeout, "cancelled")
            }
        }
        return behaviour
    }

    func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        let behaviour = try await begin(request)
        return ChatResponse(text: behaviour.text, usage: behaviour.usage, finishReason: "stop", model: request.model, latencyMs: 1, attempts: 1)
    }

    func streamAnswer(_ request: ChatRequest, onDelta: @escaping @Sendable (ChatDelta) async -> Void) async throws(ProviderError) -> ChatResponse {
        let behaviour = try await begin(request)
        for (index, piece) in behaviour.pieces.enumerated() {
            if index == behaviour.breakAfter { throw ProviderError(.server, "the stream broke off") }
            await onDelta(.text(piece))
        }
        return ChatResponse(text: behaviour.pieces.joined(), usage: behaviour.usage, finishReason: "stop", model: request.model,
                            latencyMs: 1, attempts: 1)
    }

    func listModels() async throws(ProviderError) -> [String] { ["cheap", "dear"] }
}
