import AssayCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer of runs per database: an exclusive `flock` on `<database>.lock`, held for the life
/// of the process (the kernel drops it when the process dies, even by `kill -9`, so a crash never
/// leaves a stale lock). The file holds the holder's pid and start time for the message the
/// second process prints.
package final class RunLock: Sendable {
    package let path: String
    private let descriptor: Int32

    /// Takes the lock or throws `busy` (exit 75) naming who holds it.
    package init(database: String, purpose: String) throws {
        path = database + ".lock"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw AssayError(.io, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw AssayError(.busy, "another assay process is already running against \(database)"
                                + (holder.isEmpty ? "" : " (\(holder))"),
                             hint: "wait for it to finish; two runs on one database cannot both run. Nothing was sent or stored.")
        }
        descriptor = fd
        let note = "pid \(getpid()), \(purpose), started \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
