import AssayCore
@testable import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// No upstream answer can crash the server or lower a counter: impossible usage is clamped,
/// counted and logged, and the cost counters only go up.
@Suite struct UpstreamUsageTests {
    /// The value of a metric line (`name{labels} value`) in Prometheus text, summed over its series.
    static func metric(_ text: String, _ name: String) -> Double {
        text.split(separator: "\n").filter { $0.hasPrefix(name) }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    @Test("an upstream reporting negative, absurd or overflowing token counts is answered, clamped and counted", arguments: [
        Usage(inputTokens: -5_000, outputTokens: -1), Usage(inputTokens: .max, outputTokens: .max, reasoningTokens: .max),
        Usage(inputTokens: 10, cachedInputTokens: 50, cacheWriteTokens: -3, outputTokens: 5, reasoningTokens: 9),
        Usage(inputTokens: .min, cachedInputTokens: .min, cacheWriteTokens: .min, outputTokens: .min, reasoningTokens: .min),
    ])
    func impossibleUsage(usage: Usage) async throws {
        var fixture = try ServerFixture(upstream: FakeUpstream(.init(usage: usage)))
        fixture.settings.baseline = ServerFixture.dear
        try await fixture.test { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Wire.json, body: Wire.chat()) { response in
                    #expect(response.status == .ok)
                    let usage = Wire.object(response.body)["usage"]?.objectValue
                    for field in ["prompt_tokens", "completion_tokens"] {
                        let value = try #require(usage?[field]?.numberValue)
                        #expect(value >= 0 && value <= Double(Usage.plausibleTokenLimit))
                    }
                }
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(Self.metric(text, "assay_upstream_usage_anomalies_total") == 2)
                #expect(Self.metric(text, "assay_upstream_cost_nusd_total") >= 0)
                #expect(Self.metric(text, "assay_baseline_cost_nusd_total") >= 0)
            }
        }
    }

    @Test("clamping keeps a sane usage as it is and makes the parts fit their whole")
    func clamping() {
        let sane = Usage(inputTokens: 100, cachedInputTokens: 40, cacheWriteTokens: 10, outputTokens: 30, reasoningTokens: 20)
        #expect(sane.clamped.usage == sane && sane.clamped.anomalies.isEmpty)
        let (usage, anomalies) = Usage(inputTokens: 10, cachedInputTokens: 50, cacheWriteTokens: 5, outputTokens: -2, reasoningTokens: 4).clamped
        #expect(usage == Usage(inputTokens: 10, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0))
        #expect(anomalies == ["cached_input_tokens 50", "cache_write_tokens 5", "output_tokens -2", "reasoning_tokens 4"])
    }

    @Test("a cost cannot overflow: absurd prices and counts saturate instead of trapping")
    func saturatingCost() {
        let absurd = PriceSheet([.input: .max, .output: .max])
        let cost = absurd.cost(of: Usage(inputTokens: Usage.plausibleTokenLimit, outputTokens: Usage.plausibleTokenLimit))
        #expect(cost.nanoUSD == Int64.max / 1_000_000 + 1, "saturated at Int64.max nano-USD per MTok, rounded once")
        #expect((cost + Money(nanoUSD: .max)).nanoUSD == .max)
        #expect((Money(nanoUSD: .min) - Money(nanoUSD: 1)).nanoUSD == .min)
        #expect(absurd.ceiling(inputTokens: .max, outputTokens: 1).nanoUSD > 0)
        let normal = PriceSheet([.input: 1_000_000_000, .output: 2_000_000_000])
        #expect(normal.cost(of: Usage(inputTokens: 1_500, outputTokens: 250)) == Money(dollars: "0.002"))
    }
}
