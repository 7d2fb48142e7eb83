import Foundation

/// When the file at `path` last changed, or nil when it cannot be read: what the server's
/// watchers compare to notice a new catalog or keys file.
func modificationDate(of path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
}
