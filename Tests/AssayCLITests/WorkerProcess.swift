import AssayTestSupport
import Foundation

/// An `assay worker` (or coordinator) started in the background, its output kept in files so a
/// test can read its `--json` summary after stopping it.
struct BackgroundAssay {
    let process: Process
    let stdoutFile: String
    let stderrFile: String

    static func start(_ arguments: [String], in directory: String, label: String, environment: [String: String]) throws -> BackgroundAssay {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AssayProcess.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdoutFile = directory + "/\(label).out", stderrFile = directory + "/\(label).err"
        for file in [stdoutFile, stderrFile] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        process.standardOutput = FileHandle(forWritingAtPath: stdoutFile)
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        try process.run()
        return BackgroundAssay(process: process, stdoutFile: stdoutFile, stderrFile: stderrFile)
    }

    /// SIGTERM, then waits for the exit.
    func stop() async {
        if process.isRunning { process.terminate() }
        await AssayProcess.waitForExit(process)
    }

    var stdout: String { (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }
}
