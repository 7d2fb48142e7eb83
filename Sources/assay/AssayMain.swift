import AssayServer
import Foundation

/// The process entry. `assay serve` first moves Swift concurrency onto NIO's event loops, so a
/// proxied request stops hopping between two thread pools (`ServerExecutor`); that has to happen
/// before any task starts, hence here and not in the command. `ASSAY_SERVE_EXECUTOR=swift`
/// keeps Swift's own pool.
@main
enum AssayMain {
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "serve", ProcessInfo.processInfo.environment["ASSAY_SERVE_EXECUTOR"] != "swift" {
            ServerExecutor.installEventLoopsAsGlobalExecutor()
        }
        await Assay.main()
    }
}
