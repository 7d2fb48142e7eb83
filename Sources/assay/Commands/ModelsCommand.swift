import AssayCore
import AssayStore
import ArgumentParser
import Foundation

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "What is known about the measured models.",
        subcommands: [Efforts.self])

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
