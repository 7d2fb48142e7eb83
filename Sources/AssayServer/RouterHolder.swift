import AssayRouter
import Foundation
import Logging

/// The live routing snapshot: read per request, replaced atomically when `catalog.json`
/// changes. A request keeps the snapshot it started with; a catalog that does not load is
/// rejected (logged) and the old snapshot stays.
public final class RouterHolder: Sendable {
    private let file: WatchedFile<RouterSnapshot, RouterLoadError>
    public var path: String { file.path }

    /// `options` apply to every snapshot loaded from `path`, the first and every reload.
    public init(path: String, options: RouterOptions = RouterOptions()) throws(RouterLoadError) {
        file = try WatchedFile(path: path) { path throws(RouterLoadError) in
            guard let data = FileManager.default.contents(atPath: path) else { throw RouterLoadError("cannot read \(path)") }
            return try RouterSnapshot(data: data, options: options)
        }
    }

    public var snapshot: RouterSnapshot { file.value }

    package enum Reload: Sendable { case unchanged, accepted, rejected }

    /// Reloads when the file's modification time changed.
    @discardableResult
    package func reloadIfChanged(logger: Logger) -> Reload {
        switch file.reloadIfChanged() {
        case .unchanged:
            return .unchanged
        case .accepted(let snapshot):
            logger.info("catalog reloaded", metadata: ["assay.catalog.sha256": "\(snapshot.catalogSha256)"])
            return .accepted
        case .rejected(let error):
            logger.error("new catalog rejected; the previous one stays in force", metadata: ["assay.error": "\(error)"])
            return .rejected
        }
    }
}
