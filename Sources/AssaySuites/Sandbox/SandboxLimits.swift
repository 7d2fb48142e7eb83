/// What one `python-tests` run may use. The kernel enforces CPU, memory, file size, open files
/// and processes (setrlimit in the sandbox); Assay enforces the wall clock by killing the sandbox.
public struct SandboxLimits: Hashable, Sendable, Codable {
    /// Wall-clock limit for the whole run (load the code, run every test), in seconds.
    public var timeoutSeconds: Double
    /// CPU-time limit for the whole run, in seconds.
    public var cpuSeconds: Int
    /// Address-space limit, in MiB.
    public var memoryMB: Int
    /// Largest file the code may write, in MiB.
    public var fileMB: Int
    /// Wall-clock limit for loading the code and for each test, in seconds.
    public var testSeconds: Double

    public init(timeoutSeconds: Double = 10, cpuSeconds: Int = 5, memoryMB: Int = 512, fileMB: Int = 10, testSeconds: Double = 2) {
        self.timeoutSeconds = timeoutSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryMB = memoryMB
        self.fileMB = fileMB
        self.testSeconds = testSeconds
    }

    enum CodingKeys: String, CodingKey {
        case timeoutSeconds = "timeout_seconds", cpuSeconds = "cpu_seconds", memoryMB = "memory_mb", fileMB = "file_mb"
        case testSeconds = "test_seconds"
    }
}
