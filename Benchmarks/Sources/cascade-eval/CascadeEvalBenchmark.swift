import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import AssayStore
import Foundation

/// `assay cascade eval` and `assay cascade plan` past the store read, on synthetic samples: by
/// default 25 entries × 4,000 items (4 tasks) = 100,000 samples with independent per-model errors.
/// Times, in the same run: the folds' catalog builds (`HoldOut.splits`, shared by both evals),
/// the baseline `RouterEvaluation.evaluate` (the router eval replay with its λ sweep) and the
/// cascade replay (per-item estimates, one cascade swept with each check, and the per-task plan).
@main
struct CascadeEvalBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.endIndex else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let entries = value("--entries", 25), tasks = value("--tasks", 4), items = value("--items", 4_000)
        let (facts, prompts, answers) = synthesise(entries: entries, tasks: tasks, items: items)
        print("samples: \(facts.count) (\(entries) entries × \(items) items in \(tasks) tasks)")

        var splits: [HoldOut.Split] = []
        let building = timed {
            splits = HoldOut.splits(facts: facts, folds: 3, builder: CatalogBuilder(margin: 0.02, prices: [:], prompts: prompts))
        }
        var router: RouterEvaluation?
        let baseline = try timedThrowing { router = try RouterEvaluation.evaluate(splits: splits) }
        var cascadeItems: [CascadeItem] = []
        var sweeps: [CascadeEvaluation] = []
        var plan: CascadePlan?
        let replay = try timedThrowing { cascadeItems = try CascadeItem.replay(splits: splits, answers: answers) }
        let worker = entry(1), advisor = entry(entries - 1)
        let sweep = timed {
            for check in [CascadeCheck.estimate, .judge, .agreement(partner: entry(0)), .agreement(partner: nil)] {
                sweeps.append(CascadeEvaluation.evaluate(CascadeSpec(worker: worker, advisor: advisor, check: check), items: cascadeItems))
            }
        }
        let planning = timed { plan = CascadePlan.plan(items: cascadeItems) }
        let eval = (wall: replay.wall + sweep.wall, cpu: replay.cpu + sweep.cpu)

        func row(_ name: String, _ time: (wall: Double, cpu: Double), _ note: String = "") {
            print(name.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: "wall %7.3f s  cpu %7.3f s  cpu vs baseline %5.2f×", time.wall, time.cpu, time.cpu / baseline.cpu) + note)
        }
        row("folds' catalogs (HoldOut.splits, shared)", building)
        row("baseline: router eval replay + λ sweep", baseline, "  (\(router?.heldOutItems ?? 0) items)")
        row("cascade replay (per-item estimates)", replay)
        row("cascade sweeps, 4 checks", sweep, "  (\(sweeps.map(\.sweep.count).reduce(0, +)) points)")
        row("cascade eval: replay + sweeps", eval, "  target < 2 s: " + (eval.cpu < 2 ? "met (cpu)" : "NOT met (cpu)")
            + (eval.wall < 2 ? ", met (wall)" : ", NOT met (wall)"))
        row("cascade plan, every task", planning,
            "  (\(plan?.tasks.map(\.tried).reduce(0, +) ?? 0) cascades tried, \(plan?.tasks.filter { $0.cascade != nil }.count ?? 0) chosen)")
        print("load average \(loadAverage())")
    }

    /// Wall and this thread's CPU seconds of `body` (a shared machine inflates the first, not the second).
    static func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        let (wall, cpu) = (ContinuousClock.now, cpuNanoseconds())
        body()
        let elapsed = wall.duration(to: .now).components
        return (Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, Double(cpuNanoseconds() - cpu) / 1e9)
    }

    static func timedThrowing(_ body: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        var failure: (any Error)?
        let time = timed { do { try body() } catch { failure = error } }
        if let failure { throw failure }
        return time
    }

    static func cpuNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    static func entry(_ index: Int) -> String { "sim/m\(index)@none" }

    /// Entry i is right on an item with probability 0.4 + 0.6·i/(entries−1), independently per
    /// item (a stable hash), and costs 10^(2 + 3·i/(entries−1)) nano-USD; a wrong answer's text
    /// is one of three wrong ones, so two wrong answers sometimes agree. Every fourth item of
    /// each task is judge-graded (a stored verdict, priced as one call).
    static func synthesise(entries: Int, tasks: Int, items: Int)
        -> (facts: [SampleFact], prompts: [ItemRef: String], answers: HoldOut.Answers) {
        let words = (0..<400).map { "w\($0)" }
        var facts: [SampleFact] = [], prompts: [ItemRef: String] = [:], answers: HoldOut.Answers = [:]
        facts.reserveCapacity(entries * items)
        for index in 0..<items {
            let task = index % tasks
            let ref = ItemRef(suite: "suite\(task)", item: "item\(index)")
            prompts[ref] = (0..<30).map { words[(task * 97 + $0 * 7 + Int(StableHash.unit("p", String(index), String($0)) * 60)) % words.count] }
                .joined(separator: " ")
            var byEntry: [String: HoldOut.Answer] = [:]
            for model in 0..<entries {
                let share = Double(model) / Double(max(1, entries - 1))
                let draw = StableHash.unit("right", String(index), String(model))
                let right = draw < 0.4 + 0.6 * share
                let cost = Int64(pow(10, 2 + 3 * share))
                facts.append(SampleFact(provider: "sim", model: "m\(model)", effort: "none", task: "task\(task)", suite: ref.suite,
                                        itemKey: ref.item, score: right ? 1 : 0, costNusd: cost))
                let print: UInt64 = right ? 1 : 2 + UInt64(draw * 1000) % 3
                let again: UInt64 = StableHash.unit("again", String(index), String(model)) < 0.4 + 0.6 * share ? 1 : 2
                byEntry[entry(model)] = HoldOut.Answer(fingerprint: print, otherEpochFingerprint: again,
                                                       judgeScore: index % 4 == 0 ? (right ? 0.9 : 0.3) : nil,
                                                       judgeCostNusd: index % 4 == 0 ? 500 : nil)
            }
            answers[ref] = byEntry
        }
        return (facts, prompts, answers)
    }
}
