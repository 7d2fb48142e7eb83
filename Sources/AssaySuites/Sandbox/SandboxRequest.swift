import AssayCore
import Foundation

/// What a sandbox run is handed: the request on stdin and a clean environment.
extension PythonSandbox {
    /// The whole environment of the sandbox: the parent's (provider API keys) never reaches it.
    static let childEnvironment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"]
    /// Isolated mode, no site-packages (the standard library only, and a 4x faster start), and no
    /// bytecode written next to the runner's files.
    static let pythonFlags = ["-I", "-S", "-B"]

    static func request(code: String, tests: String, testNames: [String], limits: SandboxLimits) -> JSONValue {
        .object([
            "code": .string(code), "tests": .string(tests), "test_names": .array(testNames.map(JSONValue.string)),
            "limits": .object([
                "cpu_seconds": .number(Double(limits.cpuSeconds)), "memory_mb": .number(Double(limits.memoryMB)),
                "file_mb": .number(Double(limits.fileMB)), "test_seconds": .number(limits.testSeconds),
            ]),
        ])
    }

    /// The request (with the hidden tests) as the runner's stdin: a file unlinked before the
    /// runner starts, so nothing in the sandbox can open it by name.
    static func requestInput(_ request: JSONValue, directory: String) throws -> FileHandle {
        let path = directory + "/request.json"
        try Data(request.jsonText.utf8).write(to: URL(fileURLWithPath: path))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        try FileManager.default.removeItem(atPath: path)
        return input
    }
}
