import AssayTestSupport
import Foundation
import Testing

/// What every `assay serve` test starts from: a folder with a config, the suites run through it
/// and a catalog built from the samples, as a user would get there.
enum ServeFixture {
    /// Writes `assay.yaml` (the shipped suites' folder, then `config`) into `directory`.
    static func write(_ config: String, to directory: String) throws {
        try ("suites: \(Fixtures.suitesDirectory)\n" + config).write(toFile: directory + "/assay.yaml", atomically: true, encoding: .utf8)
    }

    /// A new folder with `config`, `suites` measured (`assay run` with `runArguments`) and the catalog built.
    static func measured(_ config: String, suites: [String], runArguments: [String] = []) async throws -> String {
        let directory = try Fixtures.temporaryDirectory()
        try write(config, to: directory)
        let run = try await AssayProcess.runDetached(["run"] + suites.flatMap { ["--suite", $0] } + runArguments, in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let build = try await AssayProcess.runDetached(["catalog", "build"], in: directory)
        #expect(build.status == 0, "\(build.stderr)")
        return directory
    }
}
