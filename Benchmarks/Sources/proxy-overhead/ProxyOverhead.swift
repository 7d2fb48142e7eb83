import AssayTraffic
import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import NIOCore

/// The latency `assay serve` adds to a request, against calling the upstream directly, with
/// three processes on loopback as in production: an instant upstream (a canned OpenAI chat
/// completion), the proxy (the server `assay serve` runs, a passthrough provider pointed at the
/// upstream, the demo's catalog) and this load driver; and a fourth, the bare relay (Hummingbird
/// and AsyncHTTPClient relaying bytes, no Assay code: the floor under the proxy's cost). Each
/// round sends the same load to the upstream directly, through the bare relay, through the proxy
/// with a concrete model (passthrough) and through the proxy with `model: "auto"` (routed by the
/// catalog) and through a second proxy that also keeps the traffic log (`serve.traffic` on, a
/// real SQLite file): the log's cost is the difference between the last two rows. After the
/// rounds that proxy is stopped gracefully and every request it answered must be in its log.
///
///
/// - open loop at `--rate` requests/s (default 1,000) for `--seconds` (default 10), latency
///   measured from each request's scheduled start (no coordinated omission);
/// - closed loop at `--concurrency` (default 64) for the same number of requests: against an
///   instant upstream this saturates the machine, so its added latency is the queue
///   (concurrency ÷ throughput);
/// - the same closed loop against a second trio (upstream, proxy, relay) whose upstream answers
///   after `--slow-ms` (default 50): 64 requests in flight as a real model keeps them, at
///   ~concurrency ÷ delay requests/s, without saturating anything (`--slow-ms 0` skips it); the
///   workers' starts are spread over one delay so they do not send in lockstep.
///
/// The open loop and the slow closed loop are sent in interleaved slices (`--slice-ms`, default
/// 500 ms of load; each slice visits every target, starting from a different one each time), so a
/// noisy stretch of a shared machine lands on direct and proxied alike instead of on whichever
/// target happened to run then. Added latency = proxied percentile − direct percentile of the
/// same round.
@main
struct ProxyOverhead {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "upstream": try await InstantUpstream.run(arguments: Array(arguments.dropFirst()))
        case "proxy": try await ProxyProcess.run(arguments: Array(arguments.dropFirst()))
        case "relay": try await BareRelay.run(arguments: Array(arguments.dropFirst()))
        case "decide": try DecideCost.run(catalog: arguments.dropFirst().first ?? Driver(arguments: []).catalog, prompt: Driver.prompt)
        default: try await Driver(arguments: arguments).run()
        }
    }
}

/// The driver: starts the two other processes, then measures.
struct Driver {
    var rate = 1_000, seconds = 10, concurrency = 64, rounds = 3, slowMilliseconds = 50, sliceMilliseconds = 500
    var catalog = "../catalog/catalog.json"
    /// Whether to start nginx for its row (`--no-nginx` skips it).
    var nginx = true
    static let prompt = "A train travels 120 km in 1.5 hours. What is its average speed in km/h? Answer with a number."

    init(arguments: [String]) {
        let value = { (flag: String) in option(flag, in: arguments) }
        rate = value("--rate").flatMap(Int.init) ?? rate
        seconds = value("--seconds").flatMap(Int.init) ?? seconds
        concurrency = value("--concurrency").flatMap(Int.init) ?? concurrency
        rounds = value("--rounds").flatMap(Int.init) ?? rounds
        slowMilliseconds = value("--slow-ms").flatMap(Int.init) ?? slowMilliseconds
        sliceMilliseconds = value("--slice-ms").flatMap(Int.init) ?? sliceMilliseconds
        catalog = value("--catalog") ?? catalog
        nginx = !arguments.contains("--no-nginx")
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: catalog) else {
            FileHandle.standardError.write(Data("proxy-overhead: no catalog at \(catalog); run scripts/demo.sh in the repository first (or pass --catalog)\n".utf8))
            exit(66)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
        let fast = try Trio(executable: executable, delayMilliseconds: nil, catalog: catalog, nginx: nginx)
        defer { fast.stop() }
        // The slow trio: the same proxy and relay in front of an upstream that takes --slow-ms.
        let slow = try slowMilliseconds > 0 ? Trio(executable: executable, delayMilliseconds: slowMilliseconds, catalog: catalog, nginx: nginx) : nil
        defer { slow?.stop() }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(load); upstream pid \(fast.upstream.process.processIdentifier) "
              + "port \(fast.upstream.port), proxy pid \(fast.proxy.process.processIdentifier) port \(fast.proxy.port), "
              + "bare relay pid \(fast.relay.process.processIdentifier) port \(fast.relay.port)"
              + (fast.nginx.map { ", nginx pid \($0.process.processIdentifier) port \($0.port) (\(NginxProxy.binary ?? "?"))" } ?? ", no nginx (--no-nginx)")
              + "; \(rounds) rounds")

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let targets: [(name: String, url: String, model: String)] = [
            ("direct", "finch"), ("bare relay (floor)", "finch"), ("nginx (reverse proxy)", "finch"), ("proxy, passthrough", "sim/finch"), ("proxy, auto (routed)", "auto"),
            ("proxy, auto, traffic log on", "auto"), ("proxy, auto, loop affinity", "auto"),
        ].filter { nginx || !$0.0.hasPrefix("nginx") }.map { ($0.0, fast.url(for: $0.0), $0.1) }
        func body(_ model: String) -> ByteBuffer {
            ByteBuffer(string: #"{"model": "\#(model)", "messages": [{"role": "user", "content": "\#(Self.prompt)"}], "max_tokens": 64}"#)
        }
        // Warm up connections and lazy initialisation on every path.
        var sentToLogged = 0
        for target in targets {
            let warm = try await Load.closed(client, url: target.url, body: body(target.model), concurrency: concurrency, count: 2_000)
            if fast.child(for: target.name) === fast.logged { sentToLogged += warm.latencies.count + warm.failures }
        }
        let slowTargets = slow.map { trio in targets.map { ($0.name, trio.url(for: $0.name), $0.model) } } ?? []
        for target in slowTargets { _ = try await Load.closed(client, url: target.1, body: body(target.2), concurrency: concurrency, count: 256) }

        let total = rate * seconds
        var open: [String: [Load.Result]] = [:], closed: [String: [Load.Result]] = [:], slowClosed: [String: [Load.Result]] = [:]
        // CPU time per request of the process that did the work (the upstream for direct calls, the
        // proxy for proxied ones): a figure a busy shared machine does not inflate the way it
        // inflates latency tails.
        var cpu: [String: [Double]] = [:]
        // Slices of the open loop (`perSlice` requests at `rate`) and of the slow closed loop (as many
        // requests as 64 in flight answer in a slice's time, at least 4 rounds of them).
        let perSlice = max(1, rate * sliceMilliseconds / 1_000), slices = max(1, total / perSlice)
        let slowPerSlice = max(4 * concurrency, concurrency * sliceMilliseconds / max(1, slowMilliseconds))
        let slowSlices = max(1, total / slowPerSlice)
        for round in 1...rounds {
            var cpuSeconds: [String: Double] = [:], openRound: [String: Load.Result] = [:], slowRound: [String: Load.Result] = [:]
            for target in interleaved(targets, slices: slices) {
                let worker = fast.child(for: target.name), before = worker.cpuSeconds
                let part = try await Load.open(client, url: target.url, body: body(target.model), rate: rate, count: perSlice)
                cpuSeconds[target.name, default: 0] += worker.cpuSeconds - before
                openRound[target.name, default: .empty].absorb(part)
                if worker === fast.logged { sentToLogged += part.latencies.count + part.failures }
            }
            for target in targets {
                let worker = fast.child(for: target.name), before = worker.cpuSeconds
                let result = try await Load.closed(client, url: target.url, body: body(target.model), concurrency: concurrency, count: total)
                cpuSeconds[target.name, default: 0] += worker.cpuSeconds - before
                if worker === fast.logged { sentToLogged += result.latencies.count + result.failures }
                closed[target.name, default: []].append(result)
                open[target.name, default: []].append(openRound[target.name]!)
                let requests = openRound[target.name]!.latencies.count + openRound[target.name]!.failures + result.latencies.count + result.failures
                cpu[target.name, default: []].append(cpuSeconds[target.name]! * 1e6 / Double(requests))
                print("round \(round) \(target.name): open \(openRound[target.name]!.summary); closed \(result.summary)")
            }
            for target in interleaved(slowTargets, slices: slowSlices) {
                let part = try await Load.closed(client, url: target.1, body: body(target.2), concurrency: concurrency, count: slowPerSlice,
                                                 spread: .milliseconds(slowMilliseconds))
                slowRound[target.0, default: .empty].absorb(part)
            }
            for target in slowTargets {
                slowClosed[target.0, default: []].append(slowRound[target.0]!)
                print("round \(round) \(target.0), upstream \(slowMilliseconds) ms: closed \(slowRound[target.0]!.summary)")
            }
        }
        print("\nCPU per request (µs, per round): " + targets.map { target in
            "\(target.name) \(cpu[target.name]!.map { String(format: "%.0f", $0) }.joined(separator: "/"))"
        }.joined(separator: "; ") + " (direct = the instant upstream's own cost, the baseline)")
        print(cpuRatios(cpu))
        var sections = [("open loop, \(rate) req/s × \(seconds) s in \(slices) interleaved slices", open), ("closed loop, concurrency \(concurrency), \(total) requests", closed)]
        if slow != nil {
            sections.append(("closed loop, concurrency \(concurrency), \(slowSlices * slowPerSlice) requests in \(slowSlices) interleaved slices, "
                             + "upstream answering in \(slowMilliseconds) ms", slowClosed))
        }
        for (title, results) in sections {
            print("\n\(title): added latency = proxied − direct, per round (ms)")
            for target in targets.dropFirst() {
                let lines = (0..<rounds).map { round -> String in
                    let direct = results["direct"]![round], proxied = results[target.name]![round]
                    return String(format: "p50 +%.3f p99 +%.3f (direct p99 %.3f, proxied p99 %.3f, %.0f req/s)",
                                  proxied.p50 - direct.p50, proxied.p99 - direct.p99, direct.p99, proxied.p99, proxied.throughput)
                }
                print("  \(target.name):")
                for line in lines { print("    \(line)") }
            }
        }
        try await client.shutdown()
        try fast.checkTrafficLog(sent: sentToLogged)
    }
}

/// Each row's CPU per request over the bare relay's and over nginx's (the mean of the rounds'
/// figures): the ratios the proxy's targets are stated in.
func cpuRatios(_ cpu: [String: [Double]]) -> String {
    func mean(_ name: String) -> Double? { cpu[name].flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) } }
    guard let bare = mean("bare relay (floor)") else { return "" }
    let nginx = mean("nginx (reverse proxy)")
    let rows = ["nginx (reverse proxy)", "proxy, passthrough", "proxy, auto (routed)", "proxy, auto, traffic log on", "proxy, auto, loop affinity"].compactMap { name in
        mean(name).map { value in
            String(format: "  %@: %.0f µs, %.2f× the bare relay", name, value, value / bare)
                + (nginx.map { name.hasPrefix("nginx") ? "" : String(format: ", %.2f× nginx", value / $0) } ?? "")
        }
    }
    return "CPU per request against the floor (mean of rounds; bare relay \(String(format: "%.0f", bare)) µs):\n" + rows.joined(separator: "\n")
}

/// `slices` passes over `items`, each starting one further along: every item once per pass, none
/// always first.
func interleaved<Item>(_ items: [Item], slices: Int) -> [Item] {
    items.isEmpty ? [] : (0..<slices).flatMap { slice in items.indices.map { items[($0 + slice) % items.count] } }
}

/// An upstream (instant, or answering after a delay), and a proxy and a relay in front of it.
struct Trio {
    let upstream: Child, proxy: Child, relay: Child
    /// The same proxy with the traffic log on, writing to `trafficPath`.
    let logged: Child, trafficPath: String
    /// The same proxy with loop affinity (`--loop-affinity`): a request's work on its connection's event loop.
    let unpinned: Child
    /// nginx as a plain reverse proxy in front of the same upstream (nil with `--no-nginx`).
    let nginx: Child?

    init(executable: String, delayMilliseconds: Int?, catalog: String, nginx withNginx: Bool) throws {
        upstream = try Child(executable, ["upstream"] + (delayMilliseconds.map { ["--delay-ms", String($0)] } ?? []))
        proxy = try Child(executable, ["proxy", "--upstream-port", String(upstream.port), "--catalog", catalog])
        relay = try Child(executable, ["relay", "--upstream-port", String(upstream.port)])
        trafficPath = NSTemporaryDirectory() + "assay-proxy-overhead-traffic-\(UUID().uuidString).sqlite"
        logged = try Child(executable, ["proxy", "--upstream-port", String(upstream.port), "--catalog", catalog, "--traffic", trafficPath])
        unpinned = try Child(executable, ["proxy", "--upstream-port", String(upstream.port), "--catalog", catalog, "--loop-affinity"])
        nginx = try withNginx ? NginxProxy.start(upstreamPort: upstream.port) : nil
    }

    /// The process that does the work for a target: the upstream itself for direct calls.
    func child(for target: String) -> Child {
        target == "direct" ? upstream : target.hasPrefix("bare") ? relay : target.hasPrefix("nginx") ? nginx ?? relay
            : target.hasSuffix("traffic log on") ? logged : target.hasSuffix("loop affinity") ? unpinned : proxy
    }

    func url(for target: String) -> String { "http://127.0.0.1:\(child(for: target).port)/v1/chat/completions" }

    func stop() {
        for child in [proxy, relay, logged, unpinned] + (nginx.map { [$0] } ?? []) + [upstream] { child.stop() }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: trafficPath + suffix) }
    }

    /// Stops the logging proxy gracefully (SIGTERM, as a service manager does) and checks that
    /// every request sent to it is in its traffic log; exits 1 when one is missing.
    func checkTrafficLog(sent: Int) throws {
        logged.stop()
        let logged = try TrafficDatabase(path: trafficPath).requestCount()
        print("\ntraffic log after a graceful stop: \(logged) of \(sent) requests sent to the logging proxy"
              + (logged == sent ? " (all)" : " — MISSING \(sent - logged)"))
        if logged != sent { exit(1) }
    }
}
