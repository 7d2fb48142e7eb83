import AssayCore
import AssayTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// `assay serve` with client keys: `assay keys add|revoke` writes only hashes, the server refuses
/// missing and unknown keys and holds each key to its rate limit, in the shape of the API asked.
@Suite("Serve access", .serialized)
struct ServeAccessTests {
    @Test("client keys: hashed at rest, 401 without a known key, 429 past a key's rate limit, revocation without a restart; keys never logged")
    func keys() async throws {
        let classification = try #require(try Fixtures.shippedSuites().first { $0.task == "classification" })
        try await Fixtures.withLiveSimulator(fixedLatencyMs: 1) { port in
            let directory = try await ServeFixture.measured("""
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                models:
                  - {id: sim/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
                serve: {keys_file: keys.json, rpm: 1000}
                """, suites: ["classification"])

            let added = try await AssayProcess.runDetached(["keys", "add", "alice", "--rpm", "3", "--json"], in: directory)
            #expect(added.status == 0, "\(added.stderr)")
            let alice = try #require(JSONValue(parsing: added.stdout)?.objectValue?["key"]?.stringValue)
            let bobAdded = try await AssayProcess.runDetached(["keys", "add", "bob"], in: directory)
            let bob = bobAdded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(bob.hasPrefix("sk-assay-") && bob != alice)
            #expect(try await AssayProcess.runDetached(["keys", "add", "bob"], in: directory).status == 64, "names are unique")

            // At rest: names and hashes only, owner-only permissions.
            let stored = try String(contentsOfFile: directory + "/keys.json", encoding: .utf8)
            #expect(!stored.contains(alice) && !stored.contains(bob))
            #expect(stored.contains(sha256Hex(alice)) && stored.contains("\"alice\""))
            let mode = try FileManager.default.attributesOfItem(atPath: directory + "/keys.json")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let carolAdded = try await AssayProcess.runDetached(["keys", "add", "carol", "--rpm", "2", "--json"], in: directory)
            let carol = try #require(JSONValue(parsing: carolAdded.stdout)?.objectValue?["key"]?.stringValue)
            let listed = try await AssayProcess.runDetached(["keys", "list"], in: directory)
            #expect(listed.stdout.contains("alice") && listed.stdout.contains("rpm 3") && !listed.stdout.contains(alice))

            let log = directory + "/serve.log"
            let (server, serverPort) = try ServeTests.startServer(in: directory, stderrFile: log, environment: ["ASSAY_LOG_LEVEL": "trace"])
            defer { server.terminate() }
            let base = "http://127.0.0.1:\(serverPort)"
            let prompt = JSONValue.string(classification.items[0].renderedPrompt).jsonText
            let chat = #"{"model": "auto", "messages": [{"role": "user", "content": \#(prompt)}]}"#
            let message = #"{"model": "auto", "max_tokens": 256, "messages": [{"role": "user", "content": \#(prompt)}]}"#
            try await Fixtures.withClient { client in
                #expect(try await ServeTests.get(client, base + "/healthz") == "ok\n", "health needs no key")

                let none = try await Fixtures.post(client, base + "/v1/chat/completions", chat)
                #expect(none.status == 401)
                #expect(JSONValue(parsing: none.body)?.objectValue?["error"]?.objectValue?["code"] == .string("missing_api_key"))
                let wrong = try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer sk-assay-wrong"])
                #expect(wrong.status == 401 && !wrong.body.contains("sk-assay-wrong"))
                #expect(JSONValue(parsing: wrong.body)?.objectValue?["error"]?.objectValue?["code"] == .string("invalid_api_key"))
                let anthropic = try await Fixtures.post(client, base + "/v1/messages", message, headers: ["x-api-key": "nope"])
                #expect(anthropic.status == 401)
                let anthropicError = JSONValue(parsing: anthropic.body)?.objectValue
                #expect(anthropicError?["type"] == .string("error") && anthropicError?["error"]?.objectValue?["type"] == .string("authentication_error"))

                // Alice: three a minute, whichever API and header she uses; the fourth is refused with retry-after.
                let first = try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer \(alice)"])
                #expect(first.status == 200, "\(first.body)")
                #expect(try await Fixtures.post(client, base + "/v1/messages", message, headers: ["x-api-key": alice]).status == 200)
                #expect(try await Fixtures.post(client, base + "/v1/route", chat, headers: ["authorization": "Bearer \(alice)"]).status == 200)
                let limited = try await Fixtures.post(client, base + "/v1/chat/completions", chat, headers: ["authorization": "Bearer \(alice)"])
                #expect(limited.status == 429 && Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1, "\(limited.headers)")
                #expect(JSONValue(parsing: limited.body)?.objectValue?["error"]?.objectValue?["code"] == .string("rate_limit_exceeded"))
                let limitedAnthropic = try await Fixtures.post(client, base + "/v1/messages", message, headers: ["x-api-key": alice])
                #expect(limitedAnthropic.status == 429
                        && JSONValue(parsing: limitedAnthropic.body)?.objectValue?["error"]?.objectValue?["type"] == .string("rate_limit_error"))
                // Bob has the default (1,000 a minute): Alice's limit is hers alone.
                for _ in 0..<5 {
                    #expect(try await Fixtures.post(client, base + "/v1/route", chat, headers: ["authorization": "Bearer \(bob)"]).status == 200)
                }

                // The official SDKs: each sends the key its own way; a wrong key and a spent limit are the SDKs' own errors.
                let script = Fixtures.repoRoot + "/Tests/AssayCLITests/Scripts/sdk_keys.py"
                let sdk = try await AssayProcess.runDetachedTool("/usr/bin/env", ["python3", script, base, carol, classification.items[0].renderedPrompt])
                #expect(sdk.status == 0, "\(sdk.stderr)")
                let seen = try #require(JSONValue(parsing: sdk.stdout)?.objectValue, "\(sdk.stdout) \(sdk.stderr)")
                #expect(seen["openai_model"]?.stringValue?.hasPrefix("sim/") == true && seen["anthropic_model"]?.stringValue?.hasPrefix("sim/") == true)
                #expect(seen["openai_wrong_key"] == .string("invalid_api_key") && seen["anthropic_wrong_key"] == .string("authentication_error"))
                #expect(Int(seen["over_limit"]?.stringValue ?? "") ?? 0 >= 1, "carol's third request in a minute: \(seen)")

                // Revoked while the server runs: refused within the watcher's tick.
                #expect(try await AssayProcess.runDetached(["keys", "revoke", "bob"], in: directory).status == 0)
                var status: UInt = 0
                for _ in 0..<20 where status != 401 {
                    try await Task.sleep(for: .milliseconds(250))
                    status = try await Fixtures.post(client, base + "/v1/route", chat, headers: ["authorization": "Bearer \(bob)"]).status
                }
                #expect(status == 401, "a revoked key is refused without a restart")

                let metrics = try await ServeTests.get(client, base + "/metrics")
                #expect(metrics.contains(#"assay_client_rejections_total{reason="rate_limited"} 3"#), "\(metrics)")
                #expect(metrics.contains(#"assay_client_rejections_total{reason="missing_key"} 1"#))
                #expect(metrics.contains(#"assay_client_rejections_total{reason="unknown_key"}"#))
            }
            server.terminate()
            await AssayProcess.waitForExit(server)
            let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(![alice, bob, carol].contains(where: logged.contains), "keys never reach the log")

            // A damaged keys file stops the server from starting, naming the file and field.
            try #"{"keys": [{"name": "x", "sha256": "not-a-hash", "created_at": "now"}]}"#.write(toFile: directory + "/keys.json", atomically: true, encoding: .utf8)
            let refused = try await AssayProcess.runDetached(["serve", "--port", "0"], in: directory)
            #expect(refused.status == 78 && refused.stderr.contains("keys.json") && refused.stderr.contains("keys[0].sha256"), "\(refused.stderr)")
        }
    }

    @Test("eight 'assay keys add' at once lose none of each other's keys (the file is changed under a lock)")
    func concurrentAdds() async throws {
        let directory = try Fixtures.temporaryDirectory()
        try ServeFixture.write("serve: {keys_file: keys.json}\n", to: directory)
        let results = try await withThrowingTaskGroup(of: AssayProcess.Result.self) { group in
            for index in 0..<8 { group.addTask { try await AssayProcess.runDetached(["keys", "add", "client-\(index)"], in: directory) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let listed = try await AssayProcess.runDetached(["keys", "list", "--json"], in: directory)
        let names = Set(JSONValue(parsing: listed.stdout)?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } ?? [])
        #expect(names == Set((0..<8).map { "client-\($0)" }), "\(listed.stdout)")
    }
}
