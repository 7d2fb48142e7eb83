import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import Foundation

/// `RouterSnapshot.decide` on a synthetic catalog: by default 500 model+effort entries measured
/// on 20,000 suite items (10 tasks × 2,000), every entry scored on every item. Reports the
/// latency of one decision (p50, p99, max) over fresh prompts, against baselines measured in the
/// same run: a plain pass over the prompt's bytes, hashing its features alone, and a decision
/// with the task named (no classifier).
@main
struct RouterDecide {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.endIndex else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let entries = value("--entries", 500), tasks = value("--tasks", 10), items = value("--items", 20_000)
        let requests = value("--requests", 20_000)
        var random = SplitMix(seed: 7)
        let started = ContinuousClock.now
        let (data, learnedData) = try synthesise(entries: entries, tasks: tasks, items: items, random: &random)
        let built = ContinuousClock.now
        let snapshot = try RouterSnapshot(data: data)
        // The same catalog with a learned estimator (prompt-logistic) shipped for every task.
        let learnedSnapshot = try RouterSnapshot(data: learnedData)
        let loaded = ContinuousClock.now
        print("catalog: \(entries) entries × \(items) items in \(tasks) task(s), \(data.count / 1_000_000) MB of JSON; "
              + "synthesised in \(format(started.duration(to: built))), loaded (decoded, tables built) in \(format(built.duration(to: loaded)))")

        if let index = arguments.firstIndex(of: "--digest"), index + 1 < arguments.endIndex {
            try digest(snapshot, tasks: tasks, entries: entries, to: arguments[index + 1], random: &random)
            return
        }
        let prompts = (0..<1_000).map { index in prompt(task: index % tasks, random: &random) }
        let spec = FeatureSpec()
        // Warm up caches and lazy initialisation.
        for prompt in prompts.prefix(200) { _ = try snapshot.decide(RouteRequest(prompt: prompt.text)) }

        var sink = 0
        let empty = measure(requests) { index in sink &+= index }
        let bytes = measure(requests) { index in
            var total = 0
            for byte in prompts[index % prompts.count].text.utf8 { total &+= Int(byte) }
            sink &+= total
        }
        let features = measure(requests) { index in
            sink &+= PromptFeatures.counts(prompts[index % prompts.count].text, spec: spec).buckets.count
        }
        let unsorted = measure(requests) { index in
            sink &+= PromptFeatures.counts(prompts[index % prompts.count].text, spec: spec, sorted: false).buckets.count
        }
        let named = try measureThrowing(requests) { index in
            let prompt = prompts[index % prompts.count]
            sink &+= try snapshot.decide(RouteRequest(prompt: prompt.text, model: "auto:task\(prompt.task)")).neighbours
        }
        var correct = 0
        let auto = try measureThrowing(requests) { index in
            let prompt = prompts[index % prompts.count]
            let decision = try snapshot.decide(RouteRequest(prompt: prompt.text))
            if decision.task == "task\(prompt.task)" { correct += 1 }
        }
        for prompt in prompts.prefix(200) { _ = try learnedSnapshot.decide(RouteRequest(prompt: prompt.text)) }
        let learned = try measureThrowing(requests) { index in
            let prompt = prompts[index % prompts.count]
            sink &+= try learnedSnapshot.decide(RouteRequest(prompt: prompt.text)).estimator == nil ? 0 : 1
        }
        print("                          wall:  p50        p99       mean   | CPU:  p50        p99       mean")
        report("timer alone (empty call)", empty)
        report("plain pass over the bytes", bytes)
        report("features only (baseline)", features)
        report("features, unsorted", unsorted)
        report("decide, task named", named)
        report("decide, task classified", auto)
        report("decide, learned", learned)
        let p50 = Double(percentile(features.cpu, 0.5))
        print(String(format: "CPU p50 vs features-only p50: task named %.2f×, classified %.2f×; load average %@",
                     Double(percentile(named.cpu, 0.5)) / p50, Double(percentile(auto.cpu, 0.5)) / p50, loadAverage()))
        print(String(format: "classifier accuracy on fresh prompts %.1f%%; target p99 < 50 µs: wall %@, CPU %@ (sink %d)",
                     100 * Double(correct) / Double(requests), percentile(auto.wall, 0.99) < 50_000 ? "met" : "NOT met",
                     percentile(auto.cpu, 0.99) < 50_000 ? "met" : "NOT met", sink))
        print(String(format: "learned estimator vs nearest items (classified): CPU p50 %.2f×, p99 %.2f×; wall p99 %.1f µs, target %@",
                     Double(percentile(learned.cpu, 0.5)) / Double(percentile(auto.cpu, 0.5)),
                     Double(percentile(learned.cpu, 0.99)) / Double(percentile(auto.cpu, 0.99)),
                     Double(percentile(learned.wall, 0.99)) / 1_000, percentile(learned.wall, 0.99) < 50_000 ? "met" : "NOT met"))
    }

    struct Prompt { var task: Int; var text: String }

    /// Writes every decision (or error) of a fixed mix of requests as JSON lines, so two builds'
    /// decisions can be compared byte for byte: named and classified tasks, each objective,
    /// exclusions, cost caps, sessions, context limits and prompts that mix two tasks' words.
    static func digest(_ snapshot: RouterSnapshot, tasks: Int, entries: Int, to path: String, random: inout SplitMix) throws {
        let encoder = CatalogDocument.encoder()
        var lines: [String] = []
        for index in 0..<3_000 {
            let task = index % tasks
            let text = prompt(task: task, random: &random).text
            var request = RouteRequest(prompt: text)
            switch index % 8 {
            case 1:
                request.model = "auto:task\(task)"
                request.objective = .best
            case 2:
                request.objective = .utility(lambda: Double(index % 5) * 20)
            case 3:
                request.model = "auto:task\(task)"
                request.excluded = Set((0..<(entries / 8)).map { "sim/m\(($0 * 7 + index) % max(1, entries / 4))" })
                request.maxCostNusd = Int64(1_000 + (index % 400) * 500)
            case 4:
                request.session = .init(previous: "sim/m\(index % max(1, entries / 4))@low", cachedPromptTokens: 1_000 * (index % 50))
            case 5:
                // A few words of two tasks, or only shared words: the classifier is unsure.
                let other = prompt(task: (task + 1) % tasks, random: &random).text
                request.prompt = index % 3 == 0 ? "common" + letters(index % 300) + " common" + letters(index % 7)
                                                : (text.split(separator: " ").prefix(1) + other.split(separator: " ").prefix(1)).joined(separator: " ")
            case 6:
                request.taskHeader = index % 3 == 0 ? "nosuchtask" : "task\(task)"
                request.maxLatencyMs = index % 2 == 0 ? 100 : 1_000
            case 7:
                request.objective = .best
                request.promptTokens = 100
                request.maxTokens = index % 3 == 0 ? 10_000_000 : 10
            default:
                break
            }
            do {
                let decision = try snapshot.decide(request)
                lines.append(String(decoding: try encoder.encode(decision), as: UTF8.self))
            } catch {
                lines.append("error: \(error)")
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(lines.count) decisions to \(path)")
    }

    /// Each task draws most words from its own vocabulary and some from a shared one. Words are
    /// letters only: the features fold digits, so "t3w12" and "t4w56" would be one word.
    static func prompt(task: Int, random: inout SplitMix) -> Prompt {
        let words = (0..<(30 + Int(random.next() % 40))).map { _ -> String in
            random.next() % 4 == 0 ? "common" + letters(Int(random.next() % 300))
                                   : letters(task) + "x" + letters(Int(random.next() % 400))
        }
        return Prompt(task: task, text: words.joined(separator: " ") + "?")
    }

    /// `number` in base 26, as lowercase letters.
    static func letters(_ number: Int) -> String {
        var text = "", rest = number
        repeat {
            text.append(Character(UnicodeScalar(UInt8(97 + rest % 26))))
            rest /= 26
        } while rest > 0
        return text
    }

    /// The catalog as JSON (the way a router loads it), written from mirror types that hold
    /// only what the schema requires: the catalog's own types have no public memberwise inits.
    static func synthesise(entries: Int, tasks: Int, items: Int, random: inout SplitMix) throws -> (plain: Data, learned: Data) {
        struct Entry: Encodable {
            var model, effort: String
            var n, items, epochs, errors: Int
            var errorRate, quality: Double
            var costPerTaskNusd, costPerTaskAsRunNusd: Int64
            var costPerTaskUsd: String
            var inputTokensMean, outputTokensMean, reasoningTokensMean, ageDays: Double
            var latencyMsP95: Int
            var measuredAt: String
            var priceChanged, staleSuiteVersion, withinMargin, priced: Bool
            var itemScores: CatalogDocument.ItemScores
        }
        struct Section: Encodable {
            var task: String
            var suites: [String]
            var items: Int
            var frontier: [CatalogDocument.EntryRef] = []
            var effortCurves: [CatalogDocument.EffortCurve] = []
            var entries: [Entry]
        }
        struct Document: Encodable {
            var schemaVersion = CatalogDocument.currentSchemaVersion
            var generatedAt = "2026-11-23T00:00:00Z"
            var contentSha256 = String(repeating: "0", count: 64)
            var margin = 0.02, confidence = 0.95
            var tasks: [Section]
            var router: CatalogDocument.RouterSection
        }
        let perTask = items / tasks
        var taskItems: [RouterTraining.TaskItems] = []
        var sections: [Section] = []
        for task in 0..<tasks {
            let name = "task\(task)"
            taskItems.append(.init(task: name, items: (0..<perTask).map { (key: "\(name)/i\($0)", prompt: prompt(task: task, random: &random).text) }))
            let models = (0..<entries).map { index -> Entry in
                let skill = Double(index + 1) / Double(entries + 1)
                let scores = (0..<perTask).map { _ in Double(random.next() % 1_000) / 1_000 < skill ? 1.0 : 0.0 }
                let cost = Int64(1_000 + index * 500)
                return Entry(model: "sim/m\(index / 4)", effort: ["low", "medium", "high", "xhigh"][index % 4], n: perTask,
                             items: perTask, epochs: 1, errors: 0, errorRate: 0, quality: scores.reduce(0, +) / Double(perTask),
                             costPerTaskNusd: cost, costPerTaskAsRunNusd: cost, costPerTaskUsd: Money(nanoUSD: cost).description,
                             inputTokensMean: 100, outputTokensMean: 100, reasoningTokensMean: 0, ageDays: 0, latencyMsP95: 200,
                             measuredAt: "2026-11-23T00:00:00Z", priceChanged: false, staleSuiteVersion: false, withinMargin: false,
                             priced: true, itemScores: .init(items: Array(0..<perTask), scores: scores))
            }
            sections.append(Section(task: name, suites: [name], items: perTask, entries: models))
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let router = RouterTraining.section(tasks: taskItems, prices: [:])
        var learned = router
        for index in learned.tasks.indices {
            let weights = (0..<PromptShape.count).map { _ in Double(random.next() % 2_000) / 10_000 - 0.1 }
            let curves = sections[index].entries.map { entry in
                PromptLogistic.EntryCurve(entry: "\(entry.model)@\(entry.effort)", intercept: log(max(0.001, min(0.999, entry.quality)) / (1 - max(0.001, min(0.999, entry.quality)))),
                                          slope: Double(random.next() % 4_000) / 1_000)
            }
            learned.tasks[index].estimator = PromptLogistic(bias: -0.5, weights: weights, ridge: 1, entries: curves, brier: 0.1,
                                                            constantBrier: 0.11, items: perTask)
        }
        learned.estimator = .init(name: "prompt-logistic", tasks: learned.tasks.map(\.task), reason: "benchmark")
        return (try encoder.encode(Document(tasks: sections, router: router)),
                try encoder.encode(Document(tasks: sections, router: learned)))
    }

    /// Per call: wall nanoseconds, and this thread's CPU nanoseconds (which a busy, shared machine
    /// does not inflate by preempting the thread), each sorted.
    static func measure(_ count: Int, _ body: (Int) -> Void) -> (wall: [Int], cpu: [Int]) {
        var wall = [Int](repeating: 0, count: count)
        var cpu = [Int](repeating: 0, count: count)
        for index in 0..<count {
            let (startCPU, start) = (threadCPU(), DispatchTime.now().uptimeNanoseconds)
            body(index)
            wall[index] = Int(DispatchTime.now().uptimeNanoseconds - start)
            cpu[index] = threadCPU() - startCPU
        }
        return (wall.sorted(), cpu.sorted())
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    static func threadCPU() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    static func measureThrowing(_ count: Int, _ body: (Int) throws -> Void) throws -> (wall: [Int], cpu: [Int]) {
        var failure: (any Error)?
        let samples = measure(count) { index in
            do { try body(index) } catch { failure = error }
        }
        if let failure { throw failure }
        return samples
    }

    static func percentile(_ sorted: [Int], _ p: Double) -> Int { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

    static func report(_ label: String, _ samples: (wall: [Int], cpu: [Int])) {
        func micro(_ nanos: Int) -> String { String(format: "%8.1f µs", Double(nanos) / 1_000) }
        func row(_ sorted: [Int]) -> String {
            micro(percentile(sorted, 0.5)) + micro(percentile(sorted, 0.99)) + micro(sorted.reduce(0, +) / sorted.count)
        }
        print(label.padding(toLength: 26, withPad: " ", startingAt: 0) + row(samples.wall) + "   |" + row(samples.cpu))
    }

    static func format(_ duration: Duration) -> String { String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) }
}

/// A small seeded generator, so every run measures the same catalog and prompts.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return StableHash.mix(state)
    }
}
