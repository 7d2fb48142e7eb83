import AssayCore
import AssayHarness
import ArgumentParser
import Foundation

struct TrafficCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic", abstract: "Replay recorded traffic through a running assay serve.", subcommands: [Replay.self])

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send every request of a traffic fixture (JSON Lines) to a running assay serve.",
            discussion: """
                Each line is {"id", "kind", "api": "openai"|"anthropic", "body": {…}} (traffic/everyday.jsonl is one: 600 \
                everyday requests). OpenAI bodies go to /v1/chat/completions, Anthropic bodies to /v1/messages, --concurrency \
                at a time; the server records them in its traffic log (and captures their prompts when \
                serve.traffic.capture_sample_rate is set). Exits 3 when any request failed.
                """)

        @Argument(help: "The fixture file.") var fixture: String
        @Option(help: "The server's base URL.") var server = "http://127.0.0.1:8080"
        @Option(help: "A client key (when serve.keys_file is set); default: $ASSAY_KEY.") var key: String?
        @Option(help: "Requests in flight at once.") var concurrency = 8
        @Flag(help: "Print a JSON summary.") var json = false

        func validate() throws {
            if !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be 1-256") }
        }

        func run() async throws {
            try await reportingErrors {
                let loaded = try TrafficFixture.read(path: fixture)
                let showProgress = !json && isatty(STDERR_FILENO) == 1
                let summary = try await TrafficReplay.run(loaded, server: server, key: key ?? ProcessInfo.processInfo.environment["ASSAY_KEY"],
                                                          concurrency: concurrency) { done, total in
                    if showProgress && (done % 10 == 0 || done == total) { FileHandle.standardError.write(Data("\rreplayed \(done)/\(total)".utf8)) }
                }
                if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
                if json {
                    try printJSON(summary, encoder: snakeCaseEncoder())
                } else {
                    print("replayed \(summary.requests) requests in \(String(format: "%.1f", summary.seconds)) s: \(summary.ok) ok, \(summary.failed) failed")
                    print("  statuses: " + summary.statuses.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
                    print("  answered by: " + summary.models.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
                }
                if summary.failed > 0 { throw ExitCode(3) }
            }
        }
    }
}
