/// What one `python-tests` run may use. The kernel enforces CPU, memory, file size, open files
/// and processes (setrlimit in the sandbox) and, under bubblewrap, the total written (a tmpfs of
/// `diskMB`); Assay enforces the wall clock by killing the sandbox.
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
    /// Everything the code may write in its folder together, in MiB (bubblewrap only).
    public var diskMB: Int

    public init(timeoutSeconds: Double = 10, cpuSeconds: Int = 5, memoryMB: Int = 512, fileMB: Int = 10, testSeconds: Double = 2, diskMB: Int = 50) {
        self.timeoutSeconds = timeoutSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryMB = memoryMB
        self.fileMB = fileMB
        self.testSeconds = testSeconds
        self.diskMB = diskMB
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(timeoutSeconds: try container.decode(Double.self, forKey: .timeoutSeconds),
                  cpuSeconds: try container.decode(Int.self, forKey: .cpuSeconds),
                  memoryMB: try container.decode(Int.self, forKey: .memoryMB), fileMB: try container.decode(Int.self, forKey: .fileMB),
                  testSeconds: try container.decode(Double.self, forKey: .testSeconds),
                  diskMB: try container.decodeIfPresent(Int.self, forKey: .diskMB) ?? 50)
    }

    enum CodingKeys: String, CodingKey {
        case timeoutSeconds = "timeout_seconds", cpuSeconds = "cpu_seconds", memoryMB = "memory_mb", fileMB = "file_mb"
        case testSeconds = "test_seconds", diskMB = "disk_mb"
    }
}
