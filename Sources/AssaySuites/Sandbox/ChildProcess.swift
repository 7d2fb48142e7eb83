import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion or to a wall-clock deadline, whichever comes first, keeping at
/// most `outputCap` bytes of its stdout. It blocks a Dispatch thread, never a task's thread.
enum ChildProcess {
    struct Outcome: Sendable {
        var stdout: Data
        var timedOut: Bool
        /// Exit status, or the signal number when `signalled`.
        var status: Int32
        var signalled: Bool
        var seconds: Double
    }

    /// `input` becomes the program's stdin (nil: /dev/null).
    static func run(executable: String, arguments: [String], directory: String, environment: [String: String],
                    input: FileHandle? = nil, wallSeconds: Double, outputCap: Int = 1 << 20) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try runBlocking(executable: executable, arguments: arguments, directory: directory,
                                    environment: environment, input: input, wallSeconds: wallSeconds, outputCap: outputCap)
                })
            }
        }
    }

    static func runBlocking(executable: String, arguments: [String], directory: String, environment: [String: String],
                            input: FileHandle?, wallSeconds: Double, outputCap: Int) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = input ?? FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let start = DispatchTime.now()
        let deadline = start + wallSeconds
        try process.run()
        let pid = process.processIdentifier
        let fd = stdout.fileHandleForReading.fileDescriptor
        var output = Data()
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        // Read until EOF or the deadline; poll so that a child that never closes stdout cannot
        // keep us here, and keep draining past the cap so it cannot block on a full pipe.
        while true {
            let remaining = Int((Double(deadline.uptimeNanoseconds) - Double(DispatchTime.now().uptimeNanoseconds)) / 1e6)
            if remaining <= 0 { timedOut = true; break }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1000)))
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count < outputCap { output.append(contentsOf: buffer[0..<min(count, outputCap - output.count)]) }
        }
        if timedOut || exited.wait(timeout: deadline) == .timedOut {
            timedOut = true
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            exited.wait()
        }
        try? stdout.fileHandleForReading.close()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Outcome(stdout: output, timedOut: timedOut, status: process.terminationStatus,
                       signalled: process.terminationReason == .uncaughtSignal, seconds: seconds)
    }
}
