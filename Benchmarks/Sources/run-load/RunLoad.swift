import AssayCore
import AssayHarness
import AssayProviders
import AssaySimulator
import AssayStore
import AssaySuites
import Foundation
import Logging

/// Load driver: a run of N samples against the simulator with a fixed latency, at a given
/// concurrency, every sample graded and stored in a real SQLite file. Reports wall time against
/// the ideal (samples × latency ÷ concurrency) and against a baseline measured in the same
/// process: the same requests sent by the same HTTP client with no grading or storage.
@main
struct RunLoad {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.endIndex else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let samples = value("--samples", 10_000)
        let latencyMs = value("--latency-ms", 20)
        let concurrency = value("--concurrency", 64)
        let logger: Logger = {
            var logger = Logger(label: "run-load")
            logger.logLevel = .error
            return logger
        }()

        let items = (0..<samples).map { index in
            SuiteItem(id: "q\(index)", prompt: "A shelf holds \(index) books and one more is added. How many books are on it?",
                      answer: .number(Double(index + 1)), difficulty: 1 + index % 5)
        }
        let suite = Suite(name: "load", task: "math", version: 1, grader: .numeric(tolerance: 0.001),
                          system: "Answer with the final number only.", items: items, file: "<generated>",
                          contentSHA256: sha256Hex("load-\(samples)"))
        let zoo = try Zoo.builtIn()
        let engine = SimulatorEngine(zoo: zoo, suites: [suite])
        let directory = NSTemporaryDirectory() + "assay-load-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        try await SimulatorHost.withRunning(engine: engine, configuration: SimulatorConfiguration(port: 0, fixedLatencyMs: Double(latencyMs)),
                                            logger: logger) { port in
            let text = DemoConfig.text(provider: "sim", port: port,
                                       models: [.init(id: "finch", efforts: [.low], price: zoo.model("finch")!.price)],
                                       database: directory + "/assay.sqlite", suites: directory, catalog: directory,
                                       concurrency: concurrency)
            let config = try ConfigLoader.parse(text, file: "load.yaml")
            let client = HTTPClientFactory.make(maxConnectionsPerHost: concurrency)

            // Baseline: the same requests, same client and concurrency, nothing graded or stored.
            let provider = OpenAICompatibleProvider(settings: config.providers["sim"]!, client: client, logger: logger)
            let rawStart = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func launch() {
                    guard next < items.count else { return }
                    let item = items[next]
                    next += 1
                    group.addTask {
                        _ = try await provider.complete(ChatRequest(
                            model: "finch", messages: [.init(role: .system, content: suite.system!), .init(role: .user, content: item.renderedPrompt)],
                            maxTokens: config.maxTokens, effort: .low, seed: 1))
                    }
                }
                for _ in 0..<concurrency { launch() }
                while try await group.next() != nil { launch() }
            }
            let raw = seconds(rawStart.duration(to: .now))

            let database = try AssayDatabase(path: config.database)
            let runner = try Runner(config: config, database: database,
                                providers: ProviderRegistry(config: config, client: client, logger: logger), logger: logger)
            let runStart = ContinuousClock.now
            let summary = try await runner.run(suites: [suite], options: RunOptions(concurrency: concurrency, trigger: "benchmark"))
            let run = seconds(runStart.duration(to: .now))
            let stored = try database.sampleCount(status: .ok)
            try await client.shutdown()

            let ideal = Double(samples) * Double(latencyMs) / 1000 / Double(concurrency)
            print("samples \(samples), latency \(latencyMs) ms, concurrency \(concurrency)")
            print(String(format: "ideal (samples × latency ÷ concurrency)   %7.3f s", ideal))
            print(String(format: "baseline: raw requests, nothing stored    %7.3f s   %.2f× ideal", raw, raw / ideal))
            print(String(format: "assay run: graded and stored in SQLite    %7.3f s   %.2f× ideal   %.2f× baseline", run, run / ideal, run / raw))
            print("samples stored: \(stored) of \(samples) (errors \(summary.errors))")
            print(String(format: "target: run ≤ 1.30× ideal — %@", run / ideal <= 1.3 && stored == samples ? "met" : "NOT met"))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
