import Foundation

/// How a python-tests run is wrapped in bubblewrap (`bwrap`): new mount, PID, network, IPC and
/// UTS namespaces; only the interpreter's files and the system libraries, read-only; a fresh
/// /proc and a minimal /dev; no /tmp, no home, no /etc beyond the loader cache; and one writable
/// folder, `/sandbox`, a tmpfs capped at the run's `disk_mb`. The root and /dev (bwrap's own
/// tmpfs, /dev/shm included) are remounted read-only, or they would be uncapped writable memory.
public struct Bubblewrap: Sendable, Hashable {
    /// The `bwrap` binary.
    public var executable: String
    /// Host paths bound read-only at the same path (folders or files).
    public var readOnly: [String]
    /// Symbolic links made inside, as (link path, destination): `/lib -> usr/lib` on merged-/usr systems.
    public var links: [Link]
    /// Started as root: see `namespaceArguments`.
    public var asRoot: Bool

    public struct Link: Sendable, Hashable {
        public var path: String
        package var destination: String
    }

    /// The writable run folder inside the sandbox, and where the runner's folder is bound.
    static let workFolder = "/sandbox"
    static let runnerFolder = "/assay"

    public init(executable: String, readOnly: [String], links: [Link], asRoot: Bool) {
        self.executable = executable
        self.readOnly = readOnly
        self.links = links
        self.asRoot = asRoot
    }

    /// The command that runs `python -I -S runner.py` from `runnerFolder` (bound read-only) in the
    /// sandbox, or `python arguments` when given.
    func command(python: String, runnerFolder: String?, diskMB: Int, arguments: [String]? = nil) -> [String] {
        var command = [executable, "--die-with-parent", "--new-session"] + namespaceArguments
        for path in readOnly { command += ["--ro-bind", path, path] }
        for link in links { command += ["--symlink", link.destination, link.path] }
        command += ["--proc", "/proc", "--dev", "/dev"]
        command += ["--size", String(diskMB << 20), "--perms", "1777", "--tmpfs", Self.workFolder, "--chdir", Self.workFolder]
        if let runnerFolder { command += ["--ro-bind", runnerFolder, Self.runnerFolder] }
        command += ["--remount-ro", "/", "--remount-ro", "/dev"]
        return command + ["--", python] + (arguments ?? PythonSandbox.pythonFlags + [Self.runnerFolder + "/runner.py"])
    }

    /// An ordinary user gets every namespace, the user namespace included (`--unshare-all`), and
    /// runs as itself inside. Root leaves out the user namespace: inside one, every uid is the
    /// real root, whom the kernel exempts from RLIMIT_NPROC, and nobody is not mapped. Without it
    /// the runner keeps only CAP_SETUID and CAP_SETGID, just enough to start the answer's process
    /// as the real user nobody (no capabilities, RLIMIT_NPROC 0, cannot read root's files).
    var namespaceArguments: [String] {
        guard asRoot else { return ["--unshare-all"] }
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    }
}
