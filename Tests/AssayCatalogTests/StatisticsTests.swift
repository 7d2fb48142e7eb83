import AssayCatalog
import AssayCatalogFormat
import Testing

@Suite("Statistics")
struct StatisticsTests {
    @Test("Wilson interval matches published values")
    func wilson() {
        // 30 of 30: [0.8865, 1]; 15 of 30: [0.3315, 0.6685] (Wilson 1927; standard tables).
        let all = Statistics.wilson(successes: 30, n: 30)
        #expect(abs(all.0 - 0.8865) < 0.0005)
        #expect(all.1 == 1)
        let half = Statistics.wilson(successes: 15, n: 30)
        #expect(abs(half.0 - 0.3315) < 0.0005)
        #expect(abs(half.1 - 0.6685) < 0.0005)
    }

    @Test("independent items: the CI is mean ± 1.96·sd/√n")
    func normalInterval() throws {
        let scores = [1.0, 1, 1, 0, 1, 0, 1, 1, 0, 1]
        let result = try #require(Statistics.meanWithCI(scores: scores, clusters: scores.indices.map(String.init)))
        #expect(abs(result.mean - 0.7) < 1e-12)
        // population sd = √(0.21); SE = √(Σ(s−s̄)²)/n = √2.1/10
        let se = 2.1.squareRoot() / 10
        #expect(abs(result.low - (0.7 - 1.959964 * se)) < 1e-9)
        #expect(abs(result.high - (0.7 + 1.959964 * se)) < 1e-9)
    }

    @Test("clustered items widen the interval")
    func clustered() throws {
        let scores = [1.0, 1, 1, 1, 0, 0, 0, 0]
        let independent = try #require(Statistics.meanWithCI(scores: scores, clusters: (0..<8).map(String.init)))
        let paired = try #require(Statistics.meanWithCI(scores: scores, clusters: ["a", "a", "b", "b", "c", "c", "d", "d"]))
        #expect(paired.high - paired.low > independent.high - independent.low)
    }

    @Test("all correct, all wrong and one item fall back to Wilson instead of a zero-width interval")
    func degenerate() throws {
        let correct = try #require(Statistics.meanWithCI(scores: Array(repeating: 1, count: 30), clusters: (0..<30).map(String.init)))
        #expect(correct.mean == 1 && abs(correct.low - 0.8865) < 0.0005 && correct.high == 1)
        let wrong = try #require(Statistics.meanWithCI(scores: Array(repeating: 0, count: 30), clusters: (0..<30).map(String.init)))
        #expect(wrong.low == 0 && abs(wrong.high - 0.1135) < 0.0005)
        let one = try #require(Statistics.meanWithCI(scores: [1], clusters: ["a"]))
        #expect(one.low < 0.25 && one.high == 1)
        #expect(Statistics.meanWithCI(scores: [], clusters: []) == nil)
    }

    @Test("percentiles by nearest rank")
    func percentiles() {
        #expect(Statistics.percentile([5, 1, 3, 2, 4], 0.5) == 3)
        #expect(Statistics.percentile(Array(1...100), 0.95) == 95)
        #expect(Statistics.percentile([], 0.5) == nil)
    }
}
