import Logging
import ServiceLifecycle

/// Checks `catalog.json` (and the client keys file) every `interval` and swaps in a new
/// snapshot (or key list) when it changed; a service in the server's group, so it stops with
/// the server.
package struct CatalogWatcher: Service {
    let holder: RouterHolder
    let keys: ClientKeyGate?
    let interval: Duration
    let logger: Logger
    let metrics: ServerMetrics

    init(holder: RouterHolder, keys: ClientKeyGate?, interval: Duration = .seconds(1), logger: Logger, metrics: ServerMetrics) {
        self.holder = holder
        self.keys = keys
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await Task.sleep(for: interval) } catch { return }
            switch holder.reloadIfChanged(logger: logger) {
            case .accepted: metrics.catalogReload(accepted: true)
            case .rejected: metrics.catalogReload(accepted: false)
            case .unchanged: break
            }
            keys?.reloadIfChanged(logger: logger)
        }
    }
}
