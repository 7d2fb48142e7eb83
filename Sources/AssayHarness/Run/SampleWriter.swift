import AssayStore

/// Writes samples as they complete with group commit: while one transaction is being written,
/// the samples that finish meanwhile gather, and go in the next. A sample is therefore durable
/// within one commit (a few milliseconds) of finishing, so a `kill -9` repeats at most the
/// requests in flight plus those of that last commit — and the request loop never waits for
/// SQLite.
actor SampleWriter {
    private let database: AssayDatabase
    private var buffer: [SampleRecord] = []
    private var draining: Task<Void, Never>?
    private var failure: (any Error)?

    init(database: AssayDatabase) { self.database = database }

    func add(_ sample: SampleRecord) {
        buffer.append(sample)
        guard draining == nil else { return }
        draining = Task { await drain() }
    }

    private func drain() async {
        while !buffer.isEmpty, failure == nil {
            let batch = buffer
            buffer.removeAll(keepingCapacity: true)
            do { try await database.storeSamples(batch) } catch { failure = error }
        }
        draining = nil
    }

    /// The first write error, as soon as one happened: the run stops sending requests whose
    /// answers it could not store.
    var failed: (any Error)? { failure }

    /// Waits until everything added is written; rethrows the first write error.
    func finish() async throws {
        while let task = draining { await task.value }
        if !buffer.isEmpty, failure == nil { await drain() }
        if let failure { throw failure }
    }
}
