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

    @Test("independent 0/1 items: the CI is the Wilson interval on n")
    func independentItems() throws {
        let scores = [1.0, 1, 1, 0, 1, 0, 1, 1, 0, 1]
        let result = try #require(Statistics.meanWithCI(scores: scores, clusters: scores.indices.map(String.init)))
        #expect(abs(result.mean - 0.7) < 1e-12)
        let wilson = Statistics.wilson(successes: 7, n: 10)
        #expect(abs(result.low - wilson.0) < 1e-9)
        #expect(abs(result.high - wilson.1) < 1e-9)
    }

    @Test("95% intervals cover about 95% of the time near the ceiling, where a normal interval falls short")
    func coverageNearCeiling() throws {
        // 30 independent 0/1 items at a true 93%: the normal interval covers ≈ 87%.
        var generator = SplitMix(seed: 7)
        var covered = 0, normalCovered = 0
        let trials = 4000, truth = 0.93
        for _ in 0..<trials {
            let scores = (0..<30).map { _ in generator.unit() < truth ? 1.0 : 0.0 }
            let result = try #require(Statistics.meanWithCI(scores: scores, clusters: scores.indices.map(String.init)))
            if result.low <= truth && truth <= result.high { covered += 1 }
            let mean = result.mean, se = (mean * (1 - mean) / 30).squareRoot()
            if mean - 1.959964 * se <= truth && truth <= mean + 1.959964 * se { normalCovered += 1 }
        }
        let coverage = Double(covered) / Double(trials)
        #expect(coverage >= 0.93 && coverage <= 0.98, "coverage \(coverage)")
        #expect(Double(normalCovered) / Double(trials) < 0.9)
    }

    @Test("clustered partial-credit items near the ceiling keep their coverage")
    func clusteredCoverage() throws {
        // 12 passages × 3 questions; a passage is hard or easy for everyone (shared effect), and a
        // wrong answer earns 0.5 partial credit. Truth: the mean over the model.
        var generator = SplitMix(seed: 11)
        var covered = 0
        let trials = 3000
        let easy = 0.98, hard = 0.82, partial = 0.5
        let truth = 0.5 * (easy + (1 - easy) * partial) + 0.5 * (hard + (1 - hard) * partial)
        for _ in 0..<trials {
            var scores: [Double] = [], clusters: [String] = []
            for passage in 0..<12 {
                let p = generator.unit() < 0.5 ? easy : hard
                for _ in 0..<3 {
                    scores.append(generator.unit() < p ? 1 : partial)
                    clusters.append("p\(passage)")
                }
            }
            let result = try #require(Statistics.meanWithCI(scores: scores, clusters: clusters))
            if result.low <= truth && truth <= result.high { covered += 1 }
        }
        let coverage = Double(covered) / Double(trials)
        #expect(coverage >= 0.92 && coverage <= 0.99, "coverage \(coverage)")
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

/// A small deterministic generator for coverage checks.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}
