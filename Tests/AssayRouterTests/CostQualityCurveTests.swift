@testable import AssayRouter
import Testing

@Suite("Cost–quality curve")
struct CostQualityCurveTests {
    func point(_ cost: Double, _ quality: Double) -> RouterEvaluation.Point {
        RouterEvaluation.Point(policy: "p", lambda: nil, quality: quality, costNusd: cost)
    }

    @Test("the hull drops dominated and under-the-chord points")
    func hull() {
        let curve = CostQualityCurve(points: [point(0, 0.5), point(5, 0.6), point(10, 1), point(12, 0.9), point(3, 0.55)])
        #expect(curve.vertices.map(\.cost) == [0, 10])
        #expect(abs(curve.quality(at: 5) - 0.75) < 1e-12)
        #expect(curve.quality(at: 20) == 1)
    }

    @Test("AIQ is the mean height of the curve over the range; cost to reach a quality interpolates")
    func area() throws {
        let curve = CostQualityCurve(points: [point(0, 0.5), point(10, 1)])
        #expect(abs(curve.area(from: 0, to: 10) - 0.75) < 1e-9)
        #expect(abs(curve.area(from: 0, to: 20) - 0.875) < 1e-9)
        #expect(abs(try #require(curve.cost(reaching: 0.75)) - 5) < 1e-9)
        #expect(curve.cost(reaching: 1.01) == nil)
        let late = CostQualityCurve(points: [point(5, 1)])
        #expect(abs(late.area(from: 0, to: 10) - 0.5) < 1e-6, "nothing below its cheapest point")
    }
}
