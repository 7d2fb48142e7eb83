import Foundation

/// A subprocess that prints its port on its first line.
public final class Child: Sendable {
    public let process: Process
    public let port: Int
    /// Whether its CPU includes its child processes' (nginx's workers).
    public let withChildren: Bool
    /// A temporary directory of its own, removed when it stops.
    public let directory: String?

    public init(process: Process, port: Int, withChildren: Bool, directory: String?) {
        self.process = process
        self.port = port
        self.withChildren = withChildren
        self.directory = directory
    }

    public init(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            process.terminate()
            throw BenchmarkError("\(arguments[0]) did not start: '\(String(decoding: line, as: UTF8.self))'")
        }
        self.process = process
        self.port = port
        withChildren = false
        directory = nil
    }

    /// User + system CPU seconds the process has used so far (/proc/PID/stat, clock ticks).
    public var cpuSeconds: Double {
        let pid = process.processIdentifier
        guard withChildren, let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else {
            return Self.cpuSeconds(of: pid)
        }
        return children.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .reduce(Self.cpuSeconds(of: pid)) { $0 + Self.cpuSeconds(of: $1) }
    }

    public static func cpuSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}
