import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssaySimulator
import AssaySuites
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve the simulated model zoo (OpenAI API, model list, pricing page) on loopback.",
        discussion: """
            Endpoints: POST /v1/chat/completions (stream or not), GET /v1/models, GET /pricing, GET /healthz. \
            Stops on Ctrl-C or SIGTERM. With --expected, prints what the zoo's profiles imply for each \
            task (expected quality and cost of every model+effort, and the implied pick) and exits.
            """)

    @Option(help: "Port to listen on (0 picks a free one).") var port = 8089
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Zoo profile YAML (default: the built-in zoo).") var zoo: String?
    @Option(help: "Suite folder the simulated models know the answers to.") var suites = "suites"
    @Option(help: "Fixed latency per request in ms, instead of the zoo's latency model.") var latencyMs: Double?
    @Option(help: "Delay in ms between a streamed answer's events (a slow stream), instead of the latency model's pacing.")
    var chunkDelayMs: Double?
    @Option(help: "Require this environment variable's value as the Bearer API key.") var apiKeyEnv: String?
    @Option(name: .customLong("fault"), help: ArgumentHelp(
        "Inject a fault (repeatable): KIND[:key=value…]; kinds 429, 500, 503, slow, malformed, cut; keys model, first, every, retry-after, ms.",
        discussion: "E.g. --fault 429:retry-after=1:model=pebble-1:first=3 or --fault slow:ms=5000:every=10."))
    var faults: [String] = []

    func validate() throws {
        for fault in faults where FaultRule(spec: fault) == nil {
            throw ValidationError("cannot read --fault '\(fault)'; expected e.g. 429:retry-after=1:model=pebble-1:first=3")
        }
    }
    @Flag(help: "Print the profile-implied catalog and exit.") var expected = false
    @Option(help: "Margin for the implied pick with --expected.") var margin = 0.02
    @Flag(help: "With --expected, print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let zooProfile = try zoo.map(Zoo.load(file:)) ?? Zoo.builtIn()
            let loaded = try SuiteLoader.loadAll(directory: suites)
            if expected {
                try printExpected(ExpectedCatalog(zoo: zooProfile, suites: loaded, margin: margin))
                return
            }
            var apiKey: String?
            if let apiKeyEnv {
                guard let value = ProcessInfo.processInfo.environment[apiKeyEnv], !value.isEmpty else {
                    throw AssayError(.config, "--api-key-env names \(apiKeyEnv), which is not set")
                }
                apiKey = value
            }
            let logger = Pipeline.logger()
            let engine = SimulatorEngine(zoo: zooProfile, suites: loaded)
            let configuration = SimulatorConfiguration(host: host, port: port, fixedLatencyMs: latencyMs, apiKey: apiKey,
                                                       faults: faults.compactMap(FaultRule.init(spec:)), chunkDelayMs: chunkDelayMs)
            let models = zooProfile.models.count
            let app = buildSimulatorApplication(engine: engine, configuration: configuration, logger: logger) { [host] port in
                // Written straight to the file descriptor so a parent process reading a pipe sees it at once.
                FileHandle.standardOutput.write(Data("simulator listening on http://\(host):\(port)/v1 (\(models) models; pricing at /pricing)\n".utf8))
            }
            let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger)
            try await group.run()
        }
    }

    func printExpected(_ catalog: ExpectedCatalog) throws {
        if json { try printJSON(catalog.tasks); return }
        for task in catalog.tasks {
            print("## \(task.task): implied pick \(task.pick.map { "\($0.model) @ \($0.effort)" } ?? "—")")
            for entry in task.entries.sorted(by: { $0.expectedCostPerTaskNusd < $1.expectedCostPerTaskNusd }) {
                print("  \(entry.model.padding(toLength: 18, withPad: " ", startingAt: 0)) \(entry.effort.padding(toLength: 8, withPad: " ", startingAt: 0)) quality \(Format.percent(entry.expectedQuality))  cost/task \(Money(nanoUSD: entry.expectedCostPerTaskNusd))")
            }
        }
    }
}
