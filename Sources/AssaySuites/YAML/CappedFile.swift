import Foundation

/// Reads a file a person wrote, refusing one past a size limit without reading more than the
/// limit: a runaway file (or a device such as /dev/zero) never fills memory.
package enum CappedFile {
    package enum Contents: Sendable {
        case data(Data)
        case tooLarge(limit: Int)
        case unreadable
    }

    package static func read(_ path: String, limit: Int) -> Contents {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unreadable }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            return data.count > limit ? .tooLarge(limit: limit) : .data(data)
        } catch {
            return .unreadable
        }
    }

    /// `8 MiB`, `512 KiB`: a limit as people write it.
    package static func describe(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}
