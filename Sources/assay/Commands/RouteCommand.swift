import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import ArgumentParser
import Foundation

/// `assay route "PROMPT"`: one routing decision from the catalog, explained.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Route one prompt with the catalog and explain the choice.",
        discussion: """
            Infers the task from --task, else the catalog's classifier; estimates each entry's quality \
            on the prompt from the nearest suite items; applies the objective (default: the cheapest \
            entry within the catalog's margin of the top estimate). Exits 66 for an unknown task, \
            or when every entry is excluded or fails the constraints.
            """)
    @OptionGroup var location: CatalogCommand.Location
    @Argument(help: "The prompt to route.") var prompt: String
    @Option(help: "Task kind (as model 'auto:<task>' would name it); default: classify the prompt.") var task: String?
    @OptionGroup var policy: RoutePolicyOptions
    @Option(help: "Exclude a model (provider/model) or entry (provider/model@effort); repeatable.") var exclude: [String] = []
    @Option(help: "The conversation's previous entry (provider/model@effort), for prompt-cache stickiness.") var previous: String?
    @Option(help: "Prompt tokens the previous entry has cached (with --previous).") var cachedTokens = 0
    @Option(help: "The request's max_tokens: entries whose measured output per answer is larger are left out.")
    var maxTokens: Int?
    @Option(help: "As the server's x-assay-tradeoff header, e.g. 'best, max-cost=0.002'; overrides --objective and --max-cost.")
    var tradeoff: String?
    @Flag(help: "Print JSON (the decision as /v1/route answers it).") var json = false

    func validate() throws {
        try policy.validate()
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        _ = try parsedTradeoff()
    }

    /// `--tradeoff` read as the server reads its header, or nil without one.
    func parsedTradeoff() throws -> Tradeoff? {
        guard let tradeoff else { return nil }
        let parsed: Tradeoff
        do { parsed = try Tradeoff(parsing: tradeoff) } catch { throw ValidationError("--tradeoff \(error.message)") }
        if parsed.cascade {
            throw ValidationError("--tradeoff cascade runs only in 'assay serve' (serve.cascade.plan); 'assay cascade plan' shows each task's cascade")
        }
        return parsed
    }

    func run() async throws {
        try await reportingErrors {
            let snapshot = try RouterCommand.snapshot(path: try location.jsonPath())
            let tradeoff = try parsedTradeoff()
            let request = RouteRequest(
                prompt: prompt, model: task.map { "auto:" + $0 },
                objective: tradeoff.map { $0.objective } ?? policy.objectiveValue,
                maxCostNusd: tradeoff.map { $0.maxCostNusd } ?? policy.maxCostNusd, maxLatencyMs: policy.maxLatencyMs,
                excluded: Set(exclude), session: previous.map { .init(previous: $0, cachedPromptTokens: cachedTokens) },
                maxTokens: maxTokens)
            let decision: Decision
            do { decision = try snapshot.decide(request) } catch let error as RoutingError {
                throw AssayError(.notFound, error.message,
                                 hint: error.code == .unknownTask ? "'assay catalog tasks' lists the tasks" : "loosen the constraints or the exclusions")
            }
            if json {
                try printJSON(decision, encoder: CatalogDocument.encoder())
                return
            }
            print("\(decision.task): \(decision.model) @ \(decision.effort)")
            print("  estimate     \(Format.percent(decision.estimatedQuality)) on this prompt (task \(Format.percent(decision.taskQuality)), \(decision.neighbours) near items)")
            print("  cost/task    \(Money(nanoUSD: decision.costPerTaskNusd))")
            if !decision.fallbacks.isEmpty {
                print("  fallbacks    " + decision.fallbacks.map { "\($0.model) @ \($0.effort)" }.joined(separator: ", "))
            }
            print("  why          \(decision.reason)")
        }
    }
}

/// The objective and limits `route` and `router eval` share.
struct RoutePolicyOptions: ParsableArguments {
    @Option(help: "cheapest (default), best or utility.") var objective = Objective.cheapest
    @Option(help: "λ for --objective utility: quality given up per dollar of cost per task.") var lambda: Double?
    @Option(help: "Only entries costing at most this many USD per task, e.g. 0.002.") var maxCost: DollarAmount?
    @Option(help: "Only entries whose p95 latency is at most this many milliseconds.") var maxLatencyMs: Int?

    func validate() throws { _ = try objective.with(lambda: lambda) }

    var objectiveValue: Objective? { try? objective.with(lambda: lambda) }
    var maxCostNusd: Int64? { maxCost?.money.nanoUSD }
}
