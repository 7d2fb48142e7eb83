import AssayRouter
import Foundation
import Logging
import Synchronization

/// The live routing snapshot: read per request, replaced atomically when `catalog.json`
/// changes. A request keeps the snapshot it started with; a catalog that does not load is
/// rejected (logged) and the old snapshot stays.
public final class RouterHolder: Sendable {
    private let state: Mutex<(snapshot: RouterSnapshot, modified: Date?)>
    public let path: String

    public init(path: String) throws(RouterLoadError) {
        self.path = path
        let (snapshot, modified) = try Self.load(path)
        state = Mutex((snapshot, modified))
    }

    public var snapshot: RouterSnapshot { state.withLock { $0.snapshot } }

    static func load(_ path: String) throws(RouterLoadError) -> (RouterSnapshot, Date?) {
        guard let data = FileManager.default.contents(atPath: path) else { throw RouterLoadError("cannot read \(path)") }
        let modified = modificationDate(of: path)
        return (try RouterSnapshot(data: data), modified)
    }

    public enum Reload: Sendable { case unchanged, accepted, rejected }

    /// Reloads when the file's modification time changed.
    @discardableResult
    public func reloadIfChanged(logger: Logger) -> Reload {
        let modified = modificationDate(of: path)
        guard modified != state.withLock({ $0.modified }) else { return .unchanged }
        do {
            let (snapshot, stamp) = try Self.load(path)
            state.withLock { $0 = (snapshot, stamp) }
            logger.info("catalog reloaded", metadata: ["assay.catalog.sha256": "\(snapshot.catalogSha256)"])
            return .accepted
        } catch {
            // Keep serving the old snapshot; remember the bad file's time so it is not retried every tick.
            state.withLock { $0.modified = modified }
            logger.error("new catalog rejected; the previous one stays in force", metadata: ["assay.error": "\(error)"])
            return .rejected
        }
    }
}
