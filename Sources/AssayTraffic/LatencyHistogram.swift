/// Latencies counted in fixed buckets (upper bounds in milliseconds), so a day's rollup keeps
/// its distribution in a few numbers and percentiles over any period are sums of counts.
/// A percentile is read as the upper bound of the bucket it falls in: at most one bucket off.
package struct LatencyHistogram: Sendable, Hashable {
    package static let bounds: [Int] = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, .max]
    package var counts: [Int]

    package init(counts: [Int] = Array(repeating: 0, count: LatencyHistogram.bounds.count)) {
        self.counts = counts.count == Self.bounds.count ? counts : Array(repeating: 0, count: Self.bounds.count)
    }

    package mutating func add(_ milliseconds: Int) {
        let index = Self.bounds.firstIndex { milliseconds <= $0 } ?? Self.bounds.count - 1
        counts[index] += 1
    }

    package mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    package var total: Int { counts.reduce(0, +) }

    /// The bucket bound at or below which a share `p` (0…1) of the latencies fall; nil when empty.
    package func percentile(_ p: Double) -> Int? {
        let total = self.total
        guard total > 0 else { return nil }
        let rank = max(1, Int((p * Double(total)).rounded(.up)))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Self.bounds[index] }
        }
        return Self.bounds.last
    }

    /// Stored as comma-separated counts.
    package var text: String { counts.map(String.init).joined(separator: ",") }

    /// Reads `text` byte by byte (a report parses one per rollup row); a field that is not a
    /// number counts 0, and a text with the wrong number of fields reads as an empty histogram.
    package init(text: String) {
        var counts: [Int] = []
        counts.reserveCapacity(Self.bounds.count)
        var value = 0, valid = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                if overflow || overflow2 { valid = false } else { value = sum }
            case UInt8(ascii: ","):
                counts.append(valid ? value : 0)
                (value, valid) = (0, true)
            default:
                valid = false
            }
        }
        counts.append(valid ? value : 0)
        self.init(counts: counts)
    }
}
