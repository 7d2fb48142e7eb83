/// The best quality reachable at each cost from a set of (cost, quality) operating points: their
/// non-decreasing concave hull (mixing two policies at random reaches any point between them).
struct CostQualityCurve {
    /// Hull vertices, cheapest first, quality strictly increasing.
    let vertices: [(cost: Double, quality: Double)]

    init(points: [RouterEvaluation.Point]) {
        let sorted = points.map { (cost: $0.costNusd, quality: $0.quality) }.sorted { ($0.cost, -$0.quality) < ($1.cost, -$1.quality) }
        var hull: [(cost: Double, quality: Double)] = []
        for point in sorted {
            if let last = hull.last, point.quality <= last.quality { continue }
            // Drop vertices under the segment from the one before them to this point.
            while hull.count >= 2 {
                let (a, b) = (hull[hull.count - 2], hull[hull.count - 1])
                let cross = (b.cost - a.cost) * (point.quality - a.quality) - (b.quality - a.quality) * (point.cost - a.cost)
                if cross >= 0 { hull.removeLast() } else { break }
            }
            hull.append(point)
        }
        vertices = hull
    }

    /// Quality at `cost`: interpolated between vertices, flat after the last, 0 before the first.
    func quality(at cost: Double) -> Double {
        guard let first = vertices.first, cost >= first.cost else { return 0 }
        for (a, b) in zip(vertices, vertices.dropFirst()) where cost <= b.cost {
            return b.cost == a.cost ? b.quality : a.quality + (b.quality - a.quality) * (cost - a.cost) / (b.cost - a.cost)
        }
        return vertices.last!.quality
    }

    /// The area under the curve over [low, high], divided by (high − low).
    func area(from low: Double, to high: Double) -> Double {
        guard high > low else { return quality(at: high) }
        let cuts = ([low, high] + vertices.map(\.cost).filter { $0 > low && $0 < high }
            + vertices.compactMap { $0.cost > low && $0.cost < high ? $0.cost.nextDown : nil }).sorted()
        var area = 0.0
        for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
            area += (quality(at: a) + quality(at: b)) / 2 * (b - a)
        }
        return area / (high - low)
    }

    /// The least cost at which the curve reaches `target`, or nil if it never does.
    func cost(reaching target: Double) -> Double? {
        guard let first = vertices.first else { return nil }
        if first.quality >= target { return first.cost }
        for (a, b) in zip(vertices, vertices.dropFirst()) where b.quality >= target {
            return a.cost + (b.cost - a.cost) * (target - a.quality) / (b.quality - a.quality)
        }
        return nil
    }
}
