import AssayCore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// Three `assay serve` replicas sharing one real PostgreSQL server behind a real nginx round-robin
/// load balancer, all on loopback: one key's limit holds across the three (within the stated
/// tolerance), one revocation reaches all three, and one `assay report` counts every request.
@Suite("Replicas behind a load balancer", .serialized)
struct ReplicasTests {
    static let nginx = "/usr/sbin/nginx"

    /// nginx on `port`, round-robin over `upstreams`, its files in `directory`.
    static func startNginx(port: Int, upstreams: [Int], in directory: String) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: nginx) else {
            throw AssayError(.notFound, "nginx is not at \(nginx): install nginx (scripts/install-deps.sh)")
        }
        try FileManager.default.createDirectory(atPath: directory + "/nginx-tmp", withIntermediateDirectories: true)
        let config = """
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log \(directory)/nginx-error.log;
            events { worker_connections 512; }
            http {
                access_log off;
                client_body_temp_path \(directory)/nginx-tmp; proxy_temp_path \(directory)/nginx-tmp;
                fastcgi_temp_path \(directory)/nginx-tmp; uwsgi_temp_path \(directory)/nginx-tmp; scgi_temp_path \(directory)/nginx-tmp;
                upstream assay { \(upstreams.map { "server 127.0.0.1:\($0);" }.joined(separator: " ")) }
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://assay;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_next_upstream off;
                    }
                }
            }
            """
        try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", directory, "-c", directory + "/nginx.conf", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("one key's limit, one revocation and one savings report across three replicas behind nginx")
    func replicas() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { simulator in
            try await PostgresServer.withRunning { postgres in
                let database = try await postgres.createDatabase()
                let directory = try await ServeFixture.measured("""
                    providers:
                      sim: {type: openai, base_url: "http://127.0.0.1:\(simulator)/v1"}
                    models:
                      - {id: sim/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                      - {id: sim/heron-pro, efforts: [low], price: {input: "3.00", output: "15.00"}}
                    serve: {rpm: 1000, baseline: sim/heron-pro}
                    \(postgres.configSection(database: database))
                    """, suites: ["classification"])
                let environment = postgres.environment
                let added = try await AssayProcess.runDetached(["keys", "add", "team", "--rpm", "12", "--json"], in: directory, environment: environment)
                #expect(added.status == 0, "\(added.stderr)")
                let team = try #require(JSONValue(parsing: added.stdout)?.objectValue?["key"]?.stringValue)
                let other = try await AssayProcess.runDetached(["keys", "add", "other"], in: directory, environment: environment)
                    .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(other.hasPrefix("sk-assay-"))

                var replicas: [(Process, Int)] = []
                defer { for (process, _) in replicas { process.terminate() } }
                for index in 0..<3 {
                    replicas.append(try ServeTests.startServer(in: directory, stderrFile: directory + "/serve-\(index).log", environment: environment))
                }
                #expect(replicas.allSatisfy { $0.1 > 0 }, "every replica started")
                let port = try PostgresServer.freePort()
                let balancer = try Self.startNginx(port: port, upstreams: replicas.map(\.1), in: directory)
                defer { balancer.terminate() }
                let base = "http://127.0.0.1:\(port)"
                let prompt = JSONValue.string(classification.items[0].renderedPrompt).jsonText
                let chat = #"{"model": "auto", "messages": [{"role": "user", "content": \#(prompt)}]}"#

                try await Fixtures.withClient(connections: 16) { client in
                    var ready = false
                    for _ in 0..<50 where !ready {
                        ready = (try? await ServeTests.get(client, base + "/healthz")) == "ok\n"
                        if !ready { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    try #require(ready, "nginx answers")
                    // Stay inside one UTC minute: the limit counts per minute.
                    let second = Int(Date().timeIntervalSince1970) % 60
                    if second > 40 { try await Task.sleep(for: .seconds(61 - second)) }

                    var sent = 0
                    // A burst of 60 at once for a key with 12 a minute: round-robin spreads it over the three replicas.
                    let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                        for _ in 0..<60 {
                            group.addTask { try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer \(team)"]).status }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    sent += 60
                    let admitted = statuses.filter { $0 == 200 }.count
                    #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(statuses)")
                    // Tolerance (docs/deploy.md): at most (replicas - 1) x rpm over, and never under the limit.
                    #expect(admitted >= 12 && admitted <= 12 + 2 * 12, "admitted \(admitted) of 60 for an rpm of 12")
                    // After two sync intervals every replica knows the key is spent.
                    try await Task.sleep(for: .milliseconds(600))
                    for _ in 0..<6 {
                        let late = try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer \(team)"])
                        #expect(late.status == 429, "past the limit on every replica")
                        sent += 1
                    }

                    // Revocation: accepted by all three, then refused by all three after one sync.
                    for _ in 0..<3 {
                        #expect(try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer \(other)"]).status == 200)
                        sent += 1
                    }
                    let revoked = try await AssayProcess.runDetached(["keys", "revoke", "other"], in: directory, environment: environment)
                    #expect(revoked.status == 0, "\(revoked.stderr)")
                    try await Task.sleep(for: .milliseconds(600))
                    for _ in 0..<6 {
                        #expect(try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer \(other)"]).status == 401)
                        sent += 1
                    }
                    // Each replica refused some itself: the limit and the revocation acted on all three.
                    for (_, replicaPort) in replicas {
                        let metrics = try await ServeTests.get(client, "http://127.0.0.1:\(replicaPort)/metrics")
                        #expect(metrics.contains(#"assay_client_rejections_total{reason="rate_limited"}"#), "replica \(replicaPort)")
                        #expect(metrics.contains(#"assay_client_rejections_total{reason="unknown_key"}"#), "replica \(replicaPort)")
                    }

                    // One report over the shared store counts every request of the three (written when they stop).
                    for (process, _) in replicas { process.terminate() }
                    for (process, _) in replicas { await AssayProcess.waitForExit(process) }
                    let report = try await AssayProcess.runDetached(["report", "--json", "--by", "key"], in: directory, environment: environment)
                    #expect(report.status == 0, "\(report.stderr)")
                    let totals = JSONValue(parsing: report.stdout)?.objectValue?["totals"]?.objectValue
                    #expect(totals?["requests"]?.numberValue == Double(sent), "\(report.stdout.prefix(600))")
                    let groups = JSONValue(parsing: report.stdout)?.objectValue?["groups"]?.arrayValue ?? []
                    let teamGroup = groups.first { $0.objectValue?["name"]?.stringValue == "team" }?.objectValue?["figures"]?.objectValue
                    #expect(teamGroup?["requests"]?.numberValue == 66)
                    #expect((teamGroup?["savings_nusd"]?.numberValue ?? 0) > 0, "routing to the cheap model saved against the baseline")
                }
                balancer.terminate()
                await AssayProcess.waitForExit(balancer)
            }
        }
    }
}
