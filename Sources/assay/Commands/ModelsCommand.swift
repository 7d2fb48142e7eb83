import AssayCore
import AssayHarness
import AssayStore
import ArgumentParser
import Foundation

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "What is known about the measured models.",
        subcommands: [Discover.self, Efforts.self])

    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every provider's models; record new and vanished ones; queue new ones for measuring.",
            discussion: """
                Each listed model is recorded (first_seen, last_seen, the provider's creation date, context window);                 a model no longer listed is marked gone. Prices a listing states (OpenRouter's per-token prices) are                 recorded. Models matching a provider's 'discover: {include, exclude}' patterns are queued: the next                 'assay nightly' (or 'assay plan --discover') measures them. Exits 69 when no provider could be listed.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let config = try global.loadConfig(required: true)
                let database = try AssayDatabase(path: global.databasePath(config))
                let report = try await Measurement(config: config, database: database, logger: Pipeline.logger()).discover().report
                if json {
                    try printJSON(report)
                } else {
                    for provider in report.providers {
                        if let error = provider.error {
                            print("\(provider.provider): cannot list models: \(error)")
                            continue
                        }
                        print("\(provider.provider): \(provider.listed) listed, \(provider.new.count) new, \(provider.gone.count) gone, \(provider.queued.count) queued")
                        for name in provider.new { print("  new    \(name)") }
                        for name in provider.gone { print("  gone   \(name)") }
                        for name in provider.queued { print("  queued \(name)") }
                    }
                }
                if !report.providers.isEmpty, report.providers.allSatisfy({ $0.error != nil }) {
                    throw AssayError(.provider, "no provider could list its models", hint: "check base_url and keys in the config")
                }
            }
        }
    }

    struct Efforts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Requested effort against observed reasoning tokens, per model.",
            discussion: """
                A provider may clamp or ignore an effort setting (llama.cpp's server ignores \
                reasoning_effort). Models whose efforts all spent the same reasoning tokens are flagged.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let config = try global.loadConfig()
                let rows = try AssayDatabase(path: global.databasePath(config)).observedEfforts()
                let flagged = rows.effortInsensitiveModels
                if json {
                    struct Output: Encodable { var efforts: [AssayDatabase.ObservedEffort]; var effortInsensitive: [String] }
                    let encoder = JSONEncoder()
                    encoder.keyEncodingStrategy = .convertToSnakeCase
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    try printJSON(Output(efforts: rows, effortInsensitive: flagged), encoder: encoder)
                    return
                }
                guard !rows.isEmpty else {
                    print("no samples yet: run 'assay run' (or 'assay demo') first")
                    return
                }
                print("model                          effort    samples  reasoning tokens (mean / max)  output tokens (mean)")
                for row in rows {
                    let mark = flagged.contains(row.model) ? "  ← efforts make no difference" : ""
                    print("\(row.model.padding(toLength: 30, withPad: " ", startingAt: 0)) \(row.effort.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(row.samples).padding(toLength: 8, withPad: " ", startingAt: 0)) \(Money.fixed(row.reasoningTokensMean, digits: 0)) / \(row.reasoningTokensMax)\(String(repeating: " ", count: 12))\(Money.fixed(row.outputTokensMean, digits: 0))\(mark)")
                }
            }
        }
    }
}
