import AssayCore

/// Remembers sandbox results by (code, tests, limits) for the life of the process, and joins
/// identical runs in flight: many models give byte-identical answers to easy items, and running
/// the same code against the same tests again cannot change the grade.
actor SandboxMemo {
    private var runs: [String: Task<SandboxRun, any Error>] = [:]
    private let capacity: Int

    init(capacity: Int = 20_000) { self.capacity = capacity }

    func run(key: String, _ body: @escaping @Sendable () async throws -> SandboxRun) async throws -> SandboxRun {
        if let existing = runs[key] { return try await existing.value }
        if runs.count >= capacity { runs.removeAll() }
        let task = Task { try await body() }
        runs[key] = task
        do {
            return try await task.value
        } catch {
            runs[key] = nil
            throw error
        }
    }

    static func key(code: String, tests: String, testNames: [String], limits: SandboxLimits) -> String {
        sha256Hex([code, tests, testNames.joined(separator: ","), "\(limits)"].joined(separator: "\u{0}"))
    }
}
