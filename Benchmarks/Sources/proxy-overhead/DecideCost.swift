import AssayRouter
import BenchmarkSupport
import Foundation

/// `proxy-overhead decide`: the time of one routing decision on the catalog the proxy uses, with
/// the driver's prompt, in-process, so the routed path's extra cost can be told apart from HTTP.
enum DecideCost {
    static func run(catalog: String, prompt: String) throws {
        let snapshot = try RouterSnapshot(data: try Data(contentsOf: URL(fileURLWithPath: catalog)))
        var sink = 0
        for _ in 0..<1_000 { sink &+= try snapshot.decide(RouteRequest(prompt: prompt, model: "auto")).neighbours }
        let count = 20_000
        let started = ContinuousClock.now
        for _ in 0..<count { sink &+= try snapshot.decide(RouteRequest(prompt: prompt, model: "auto")).neighbours }
        let each = Load.milliseconds(started.duration(to: .now)) * 1_000 / Double(count)
        print(String(format: "decide on %@: %.1f µs per decision (mean of %d; sink %d)", catalog, each, count, sink))
    }
}
