import AssaySuites
import Foundation

/// python-tests grader throughput: every reference solution of the shipped python-tests suites
/// graded through the sandbox with `--sandboxes` at once, against a same-run baseline of bare
/// `python3 -I -S -c pass` spawns at the same concurrency.
@main
struct GraderThroughput {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { Int(arguments[$0 + 1]) } ?? fallback
        }
        let sandboxes = option("--sandboxes", 2)
        let rounds = option("--rounds", 2)
        let suitesPath = arguments.firstIndex(of: "--suites").map { arguments[$0 + 1] } ?? "../suites"
        let environment = SandboxEnvironment.current
        guard let python = environment.python else { fatalError("python3 not found") }
        let suites = try SuiteLoader.loadAll(directory: suitesPath).filter { !$0.grader.isPure && $0.task == "coding" }
        let work = suites.flatMap { suite in suite.items.map { (suite, $0) } }
        print("python \(python); sandboxed: \(environment.isSandboxed); \(work.count) items × \(rounds) rounds; \(sandboxes) at once")

        let spawns = work.count * rounds
        var start = ContinuousClock.now
        try await forEach(0..<spawns, concurrency: sandboxes) { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-I", "-S", "-c", "pass"]
            try process.run()
            process.waitUntilExit()
        }
        let baseline = seconds(since: start)
        let grading = Grading(sandbox: PythonSandbox(concurrency: sandboxes, memoize: false))
        start = ContinuousClock.now
        var passed = 0
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<rounds {
                for (suite, item) in work {
                    group.addTask { try await grading.grade(item.reference ?? "", suite: suite, item: item).grade.passed }
                }
            }
            for try await ok in group where ok { passed += 1 }
        }
        let graded = seconds(since: start)
        func rate(_ seconds: Double) -> String { String(format: "%.1f/s", Double(spawns) / seconds) }
        print(String(format: "baseline: %d bare python3 spawns  %.2f s  %@", spawns, baseline, rate(baseline)))
        print(String(format: "graded:   %d python-tests items  %.2f s  %@  (%d passed)  %.2fx baseline time", spawns, graded,
                     rate(graded), passed, graded / baseline))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// Runs blocking `body` calls on Dispatch threads, `concurrency` at a time.
    static func forEach(_ range: Range<Int>, concurrency: Int, _ body: @escaping @Sendable (Int) throws -> Void) async throws {
        let limiter = AsyncLimiter(limit: concurrency)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in range {
                group.addTask {
                    try await limiter.run {
                        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                            DispatchQueue.global().async { continuation.resume(with: Result { try body(index) }) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
