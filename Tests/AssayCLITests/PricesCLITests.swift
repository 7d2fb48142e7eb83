import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// `assay prices …` against the simulator's pricing page, served in-process on loopback.
@Suite("assay prices", .serialized)
struct PricesCLITests {
    func config(port: Int, query: String = "", in directory: String) throws {
        let text = """
            database: \(directory)/assay.sqlite
            pricing:
              sources:
                - name: sim-page
                  url: http://127.0.0.1:\(port)/pricing\(query)
                  extractor: simulator
            """
        try text.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
    }

    @Test("scrape applies, a 10× jump exits 3 and changes nothing, approve applies it; show, history, conflicts answer")
    func flow() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-prices-cli")
        try await Fixtures.withLiveSimulator { port in
            try config(port: port, in: directory)
            let first = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("sim-page:") && first.stdout.contains("new or changed"))
            let again = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
            #expect(again.status == 0 && again.stdout.contains("unchanged since the last scrape"))

            try config(port: port, query: "?variant=jump", in: directory)
            let jumped = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
            #expect(jumped.status == 3)
            #expect(jumped.stderr.contains("quarantined #") && jumped.stderr.contains("assay prices approve"))
            let held = try await AssayProcess.runDetached(["prices", "show", "sim/condor-max", "--json"], in: directory)
            let shown = try #require(JSONValue(parsing: held.stdout)?.objectValue)
            let input = shown["prices"]?.arrayValue?.first { $0.objectValue?["dimension"] == .string("input") }
            #expect(input?.objectValue?["nusd_per_mtok"]?.numberValue == 15_000_000_000, "the good price stays")
            #expect((shown["quarantined"]?.arrayValue?.count ?? 0) == 1)
            let stillHeld = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
            #expect(stillHeld.status == 3, "a pending quarantine keeps failing the scrape")

            let approve = try await AssayProcess.runDetached(["prices", "approve", "--all"], in: directory)
            #expect(approve.status == 0 && approve.stdout.contains("approved #"))
            let history = try await AssayProcess.runDetached(["prices", "history", "sim/condor-max"], in: directory)
            #expect(history.status == 0 && history.stdout.contains("$150.00 / MTok") && history.stdout.contains("$15.00 / MTok"))
            #expect(history.stdout.contains("quarantine #") && history.stdout.contains("approved"))

            let conflicts = try await AssayProcess.runDetached(["prices", "conflicts"], in: directory)
            #expect(conflicts.status == 0 && conflicts.stdout.contains("no conflicts"))
            let unknown = try await AssayProcess.runDetached(["prices", "scrape", "--source", "nope"], in: directory)
            #expect(unknown.status == 66 && unknown.stderr.contains("no pricing source named 'nope'"))
        }
    }

    @Test("the proxy variables are honoured: a dead proxy fails the fetch, NO_PROXY bypasses it")
    func proxy() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-prices-cli")
        try await Fixtures.withLiveSimulator { port in
            try config(port: port, in: directory)
            let proxied = try await AssayProcess.runDetachedWithEnvironment(["prices", "scrape"], in: directory,
                                                                            environment: ["http_proxy": "http://127.0.0.1:9", "NO_PROXY": ""])
            #expect(proxied.status == 69 && proxied.stderr.contains("cannot fetch"), "\(proxied.stderr)")
            let bypassed = try await AssayProcess.runDetachedWithEnvironment(["prices", "scrape"], in: directory,
                                                                             environment: ["http_proxy": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"])
            #expect(bypassed.status == 0, "\(bypassed.stderr)")
        }
    }

    @Test("a changed layout exits 3 naming the page; an unreachable page exits 69; a bad extractor name exits 78")
    func failures() async throws {
        let directory = try Fixtures.temporaryDirectory("assay-prices-cli")
        try await Fixtures.withLiveSimulator { port in
            try config(port: port, query: "?variant=layout", in: directory)
            let layout = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
            #expect(layout.status == 3)
            #expect(layout.stderr.contains("[layout]") && layout.stderr.contains("/pricing?variant=layout"))
        }
        try config(port: 9, in: directory)
        let down = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
        #expect(down.status == 69 && down.stderr.contains("cannot fetch http://127.0.0.1:9/pricing"))
        let text = "pricing:\n  sources:\n    - name: x\n      url: http://127.0.0.1:9/p\n      extractor: nosuch\n      provider: x\n"
        try text.write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
        let bad = try await AssayProcess.runDetached(["prices", "scrape"], in: directory)
        #expect(bad.status == 78 && bad.stderr.contains("unknown built-in extractor 'nosuch'") && bad.stderr.contains("assay.yaml:3"))
    }
}

extension AssayProcess {
    /// `run` with extra environment variables, off Swift's cooperative threads.
    static func runDetachedWithEnvironment(_ arguments: [String], in directory: String, environment: [String: String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try run(arguments, in: directory, environment: environment) })
            }
        }
    }
}
