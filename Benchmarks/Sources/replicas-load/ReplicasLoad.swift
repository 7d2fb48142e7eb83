import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import NIOCore

/// The load driver of `Benchmarks/replicas/bench.sh`: the traffic log of three `assay serve`
/// replicas, on SQLite files and on PostgreSQL, at 1,000 requests/s in total.
///
/// - `replicas-load upstream`: the instant upstream (a canned OpenAI answer), printing its port.
/// - `replicas-load steady --group NAME=KEY@URL,URL,URL@PID,PID,PID … [--rate 1000] [--seconds 60] [--slice-seconds 10] [--warmup 600] [--idle-seconds 5]`:
///   for each group (a set of replicas, its client key, its processes), a closed-loop warm-up,
///   `--idle-seconds` with no load (the CPU the processes' timers use: syncs, flushes), then an open loop at `--rate` requests/s in total over the group's URLs in turn, for
///   `--seconds` per group, sent in slices of `--slice-seconds` that alternate between the groups
///   (so a noisy stretch of a shared machine lands on every group, not on whichever ran then).
///   Prints one JSON object per group: requests sent (warm-up included: what its traffic logs must
///   hold), answered 200, failed, the open loop's latencies, the CPU seconds the group's
///   processes used during its slices (/proc/PID/stat), per request, and per request above the idle rate.
/// - `replicas-load burst --urls URL,URL,URL --key K --count N`: N requests at once, spread over the
///   URLs in turn; prints one JSON object: sent, admitted (200), limited (429), other.
@main
struct ReplicasLoad {
    static let prompt = "A train travels 120 km in 1.5 hours. What is its average speed in km/h? Answer with a number."
    static let body = ByteBuffer(string: #"{"model": "auto", "messages": [{"role": "user", "content": "\#(prompt)"}], "max_tokens": 64}"#)

    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            switch arguments.first {
            case "upstream": try await InstantUpstream.run(arguments: Array(arguments.dropFirst()))
            case "steady": try await withClient { try await steady(arguments, client: $0) }
            case "burst": try await withClient { try await burst(arguments, client: $0) }
            default: throw BenchmarkError("usage: replicas-load upstream | steady --group NAME=KEY@URL,…@PID,… … [--rate N] [--seconds N] [--slice-seconds N] [--warmup N] [--idle-seconds N] | burst --urls URL,… --key K --count N")
            }
        } catch let error as BenchmarkError {
            FileHandle.standardError.write(Data("replicas-load: \(error)\n".utf8))
            exit(64)
        }
    }

    static func withClient(_ body: @Sendable (HTTPClient) async throws -> Void) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do { try await body(client) } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func urls(_ arguments: [String]) throws -> [String] {
        guard let list = option("--urls", in: arguments)?.split(separator: ",").map(String.init), !list.isEmpty else {
            throw BenchmarkError("--urls U1,U2,… is required (the replicas' /v1/chat/completions URLs)")
        }
        return list
    }

    static func integer(_ flag: String, in arguments: [String], default value: Int) throws -> Int {
        guard let text = option(flag, in: arguments) else { return value }
        guard let number = Int(text), number > 0 else { throw BenchmarkError("\(flag) takes a positive whole number, not '\(text)'") }
        return number
    }

    /// A set of replicas under load: its name, client key, URLs and processes.
    struct Group {
        var name: String
        var headers: [(String, String)]
        var urls: [String]
        var pids: [Int32]
        var sent = 0, warmFailures = 0, cpu = 0.0
        /// CPU seconds per second the processes use with no load (their timers: syncs, flushes).
        var idle = 0.0
        var result = Load.Result.empty

        /// `NAME=KEY@URL,URL@PID,PID`.
        init(_ text: String) throws {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let equals = parts[0].firstIndex(of: "=") else {
                throw BenchmarkError("--group takes NAME=KEY@URL,URL,…@PID,PID,…, not '\(text)'")
            }
            name = String(parts[0][..<equals])
            headers = [("authorization", "Bearer \(parts[0][parts[0].index(after: equals)...])")]
            urls = parts[1].split(separator: ",").map(String.init)
            pids = parts[2].split(separator: ",").compactMap { Int32($0) }
            guard !name.isEmpty, !urls.isEmpty, !pids.isEmpty else { throw BenchmarkError("--group '\(text)' needs a name, URLs and process ids") }
        }

        var cpuNow: Double { pids.map { Child.cpuSeconds(of: $0) }.reduce(0, +) }

        var report: [String: Any] {
            let requests = result.latencies.count + result.failures
            return ["name": name, "sent": sent, "open_loop_requests": requests, "ok": result.latencies.count,
                    "failed": result.failures + warmFailures, "seconds": result.seconds, "achieved_rate": Double(requests) / result.seconds,
                    "p50_ms": result.p50, "p99_ms": result.p99, "cpu_seconds": cpu, "cpu_us_per_request": cpu * 1e6 / Double(max(1, requests)),
                    "idle_cpu_ms_per_second": idle * 1e3,
                    "cpu_us_per_request_above_idle": max(0, cpu - idle * result.seconds) * 1e6 / Double(max(1, requests))]
        }
    }

    static func steady(_ arguments: [String], client: HTTPClient) async throws {
        var groups = try options("--group", in: arguments).map(Group.init)
        guard !groups.isEmpty else { throw BenchmarkError("--group NAME=KEY@URL,…@PID,… is required (once per set of replicas)") }
        let rate = try integer("--rate", in: arguments, default: 1_000)
        let seconds = try integer("--seconds", in: arguments, default: 60)
        let slice = min(seconds, try integer("--slice-seconds", in: arguments, default: 10))
        let warmup = try integer("--warmup", in: arguments, default: 600)
        // Warm-up: connections, lazy initialisation, the first batches; not in the CPU figure.
        for index in groups.indices {
            for url in groups[index].urls {
                let part = try await Load.closed(client, url: url, body: body, headers: groups[index].headers, concurrency: 16,
                                                 count: max(1, warmup / groups[index].urls.count))
                groups[index].sent += part.latencies.count + part.failures
                groups[index].warmFailures += part.failures
            }
        }
        // Idle: what the processes' timers cost with no request (all groups at once, after the warm-up).
        let idleSeconds = try integer("--idle-seconds", in: arguments, default: 5)
        let idleBefore = groups.map(\.cpuNow)
        try await Task.sleep(for: .seconds(idleSeconds))
        for index in groups.indices { groups[index].idle = (groups[index].cpuNow - idleBefore[index]) / Double(idleSeconds) }
        // Slices: every group once per pass, each pass starting one group further along.
        let passes = (seconds + slice - 1) / slice
        for pass in 0..<passes {
            let count = rate * min(slice, seconds - pass * slice)
            for offset in groups.indices {
                let index = (pass + offset) % groups.count
                let before = groups[index].cpuNow
                let part = try await Load.open(client, urls: groups[index].urls, body: body, headers: groups[index].headers, rate: rate, count: count)
                groups[index].cpu += groups[index].cpuNow - before
                groups[index].result.absorb(part)
                groups[index].sent += part.latencies.count + part.failures
            }
        }
        let data = try JSONSerialization.data(withJSONObject: groups.map(\.report), options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    static func burst(_ arguments: [String], client: HTTPClient) async throws {
        let urls = try urls(arguments)
        guard let key = option("--key", in: arguments), !key.isEmpty else { throw BenchmarkError("--key K is required (a client key)") }
        let headers = [("authorization", "Bearer \(key)")]
        let count = try integer("--count", in: arguments, default: 150)
        let statuses = await withTaskGroup(of: UInt?.self, returning: [UInt?].self) { group in
            for index in 0..<count {
                let url = urls[index % urls.count]
                group.addTask { await Load.post(client, url: url, body: body, headers: headers) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let admitted = statuses.filter { $0 == 200 }.count, limited = statuses.filter { $0 == 429 }.count
        let report: [String: Any] = ["sent": count, "admitted": admitted, "limited": limited, "other": count - admitted - limited]
        print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
    }
}
