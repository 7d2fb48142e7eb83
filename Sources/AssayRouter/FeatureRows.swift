/// What a request reads per hashed feature, one row per bucket: the bucket's idf, then the
/// classifier's log P(bucket | task) for each task, in rows aligned to 64-byte cache lines.
///
/// A prompt's ~600 features land on scattered buckets, so reading a separate idf table and a
/// separate likelihood table took two cache misses per feature; with up to 15 tasks a row is one
/// line, and the signature and the classifier share one miss per feature.
final class FeatureRows: @unchecked Sendable {
    /// Floats per row: 1 + tasks, rounded up to whole cache lines.
    let stride: Int
    let tasks: Int
    let buckets: Int
    // Written in init only and read-only afterwards, so any thread may read it.
    private let storage: UnsafeMutablePointer<Float>

    private static let lineFloats = 16

    /// `logLikelihood` is bucket-major: `logLikelihood[bucket * tasks + task]`.
    init(idf: [Float], logLikelihood: [Float], tasks: Int) {
        precondition(logLikelihood.count == idf.count * tasks)
        buckets = idf.count
        self.tasks = tasks
        stride = (1 + tasks + Self.lineFloats - 1) / Self.lineFloats * Self.lineFloats
        let count = max(1, buckets * stride)
        storage = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        storage.initialize(repeating: 0, count: count)
        for bucket in 0..<buckets {
            let row = storage + bucket * stride
            row[0] = idf[bucket]
            for task in 0..<tasks { row[1 + task] = logLikelihood[bucket * tasks + task] }
        }
    }

    deinit { storage.deallocate() }

    /// Calls `body` with the first row; bucket b's row starts `b * stride` floats further.
    @inline(__always)
    func withRows<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result {
        withExtendedLifetime(self) { body(storage) }
    }
}
