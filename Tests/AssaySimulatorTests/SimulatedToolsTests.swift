import AssayCore
@testable import AssayProviders
@testable import AssaySimulator
import AssayTestSupport
import Foundation
import Synchronization
import Testing

/// The simulator's tool and stop-sequence rules, in the engine and through every provider format.
@Suite("Simulated tools and stop sequences")
struct SimulatedToolsTests {
    static let weather = ToolTranslationTests.weather
    static let ask = ChatRequest.Message(role: .user, content: "What is the weather in Paris?")

    static func engine() throws -> SimulatorEngine { SimulatorEngine(zoo: try Zoo.builtIn(), suites: []) }

    @Test("a prompt that names a tool's word gets a call with schema-filled arguments; none, unrelated or a tool result get text")
    func engineRule() throws {
        let engine = try Self.engine()
        let called = try engine.complete(model: "pebble-1", messages: [Self.ask], effortText: nil, maxTokens: nil, seed: nil, tools: [Self.weather])
        let call = try #require(called.toolCalls.first)
        #expect(call.name == "get_weather" && call.argumentsObject == .object(["city": .string("Paris")]))
        #expect(called.finishReason == "tool_calls" && called.text.isEmpty)
        let again = try engine.complete(model: "pebble-1", messages: [Self.ask], effortText: nil, maxTokens: nil, seed: nil, tools: [Self.weather])
        #expect(again.toolCalls == called.toolCalls, "deterministic, id included")

        let unrelated = ChatRequest.Message(role: .user, content: "Tell me a joke")
        #expect(try engine.complete(model: "pebble-1", messages: [unrelated], effortText: nil, maxTokens: nil, seed: nil, tools: [Self.weather]).toolCalls.isEmpty)
        #expect(try engine.complete(model: "pebble-1", messages: [unrelated], effortText: nil, maxTokens: nil, seed: nil, tools: [Self.weather],
                                    toolChoice: .required).toolCalls.first?.name == "get_weather")
        #expect(try engine.complete(model: "pebble-1", messages: [Self.ask], effortText: nil, maxTokens: nil, seed: nil, tools: [Self.weather],
                                    toolChoice: ToolChoice.none).toolCalls.isEmpty)

        let result = try engine.complete(model: "pebble-1", messages: [Self.ask, .init(role: .assistant, content: "", toolCalls: [call]),
                                                                       .init(role: .tool, content: "18 degrees and sunny", toolCallID: call.id)],
                                         effortText: nil, maxTokens: nil, seed: nil, tools: [Self.weather])
        #expect(result.toolCalls.isEmpty && result.text == "The get_weather tool returned: 18 degrees and sunny")
        #expect(SimulatedTools.words(of: "lookupOrderStatus") == ["lookup", "order", "status"])
        let schema = JSONValue.object(["type": .string("object"), "properties": .object([
            "units": .object(["type": .string("string"), "enum": .array([.string("celsius"), .string("fahrenheit")])]),
            "days": .object(["type": .string("integer")]), "hourly": .object(["type": .string("boolean")]),
        ])])
        #expect(SimulatedTools.arguments(for: schema, prompt: "Forecast for 3 days in Oslo")
            == .object(["units": .string("celsius"), "days": .number(3), "hourly": .bool(true)]))
    }

    @Test("stop sequences cut the answer before the earliest one")
    func engineStop() throws {
        let engine = try Self.engine()
        let hello = [ChatRequest.Message(role: .user, content: "Say hello")]
        let plain = try engine.complete(model: "pebble-1", messages: hello, effortText: nil, maxTokens: nil, seed: nil)
        let cut = try engine.complete(model: "pebble-1", messages: hello, effortText: nil, maxTokens: nil, seed: nil, stop: ["model", "simulated"])
        #expect(cut.text == "I'm pebble-1, a " && plain.text.hasPrefix(cut.text))
        #expect(cut.stopSequence == "simulated" && cut.finishReason == "stop")
        #expect(cut.usage.outputTokens < plain.usage.outputTokens)
    }

    @Test("every format: a tool call plain and streamed, the result answered, a stop sequence honoured", arguments: ProviderSettings.Kind.allCases)
    func live(kind: ProviderSettings.Kind) async throws {
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            try await Fixtures.withClient { client in
                let provider = ProviderStreamingTests.provider(kind, port: port, client: client)
                var request = ChatRequest(model: "pebble-1", messages: [Self.ask], maxTokens: 500)
                request.tools = [Self.weather]
                let answer = try await provider.complete(request)
                let call = try #require(answer.toolCalls.first, "\(answer)")
                #expect(call.name == "get_weather" && call.argumentsObject == .object(["city": .string("Paris")]))

                let pieces = Mutex<[ChatDelta]>([])
                let streamed = try await provider.streamAnswer(request) { delta in pieces.withLock { $0.append(delta) } }
                #expect(streamed.toolCalls == answer.toolCalls)
                let arguments = pieces.withLock { $0 }.compactMap { delta -> String? in
                    if case .toolCallArguments(0, let piece) = delta { return piece }
                    return nil
                }.joined()
                #expect(arguments == call.arguments)

                request.messages += [.init(role: .assistant, content: "", toolCalls: [call]), .init(role: .tool, content: "18 degrees", toolCallID: call.id)]
                let reply = try await provider.complete(request)
                #expect(reply.toolCalls.isEmpty && reply.text == "The get_weather tool returned: 18 degrees")

                var stopped = ChatRequest(model: "pebble-1", messages: [.init(role: .user, content: "Say hello")])
                stopped.stop = ["simulated"]
                let cut = try await provider.complete(stopped)
                #expect(cut.text == "I'm pebble-1, a ")
                #expect(cut.stopSequence == (kind == .anthropic ? "simulated" : nil))
                #expect(cut.finishReason == (kind == .anthropic ? "stop_sequence" : kind == .gemini ? "STOP" : "stop"))
            }
        }
    }
}
