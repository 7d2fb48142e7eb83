import AssayCore
import AssayHarness
import ArgumentParser
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented example assay.yaml.")

    @Option(name: .shortAndLong, help: "Where to write it.")
    var output = "assay.yaml"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() async throws {
        try await reportingErrors {
            if FileManager.default.fileExists(atPath: output) && !force {
                throw AssayError(.usage, "\(output) already exists", hint: "pass --force to overwrite it, or -o PATH")
            }
            guard FileManager.default.createFile(atPath: output, contents: Data(ConfigTemplate.text.utf8)) else {
                throw AssayError(.io, "cannot write \(output)")
            }
            print("wrote \(output): edit providers and models, then 'assay run'")
        }
    }
}
