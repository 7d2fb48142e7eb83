import AssayCore
import AssayHarness
import ArgumentParser
import Foundation

/// Options every command that touches config or data takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: assay.yaml when present).")
    var config: String?

    @Option(name: .long, help: "SQLite database (default: 'database' in the config, else results/assay.sqlite).")
    var database: String?

    /// The config: the named file (which must exist), else ./assay.yaml when present, else defaults.
    func loadConfig(required: Bool = false) throws -> AssayConfig {
        if let config { return try ConfigLoader.load(file: config) }
        if FileManager.default.fileExists(atPath: "assay.yaml") { return try ConfigLoader.load(file: "assay.yaml") }
        if required {
            throw AssayError(.config, "no config: assay.yaml is not in this folder and --config was not given",
                             hint: "run 'assay init' to write a commented assay.yaml, or 'assay demo' to try the simulated zoo")
        }
        return AssayConfig()
    }

    func databasePath(_ config: AssayConfig) -> String { database ?? config.database }
}
