import Foundation
import Synchronization

/// A value loaded from a file and reloaded when the file's modification time changes: what the
/// server's catalog and client keys both need. A changed file that does not load is remembered
/// by its time (so it is not retried every tick) and the previous value stays in force.
final class WatchedFile<Value: Sendable, Failure: Error>: Sendable {
    let path: String
    private let load: @Sendable (String) throws(Failure) -> Value
    private let state: Mutex<(value: Value, modified: Date?)>

    init(path: String, load: @escaping @Sendable (String) throws(Failure) -> Value) throws(Failure) {
        self.path = path
        self.load = load
        let modified = Self.modificationDate(of: path)
        state = Mutex((try load(path), modified))
    }

    /// The value in force.
    var value: Value { state.withLock { $0.value } }

    enum Reload {
        case unchanged
        /// The new value, now in force.
        case accepted(Value)
        /// Why the changed file was refused; the previous value stays.
        case rejected(Failure)
    }

    /// Reloads when the file's modification time changed.
    func reloadIfChanged() -> Reload {
        let modified = Self.modificationDate(of: path)
        guard modified != state.withLock({ $0.modified }) else { return .unchanged }
        do throws(Failure) {
            let value = try load(path)
            state.withLock { $0 = (value, modified) }
            return .accepted(value)
        } catch {
            state.withLock { $0.modified = modified }
            return .rejected(error)
        }
    }

    /// When the file at `path` last changed, or nil when it cannot be read.
    static func modificationDate(of path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
