import Foundation
import Hummingbird
import Logging

/// Serves `router` on a free loopback port until stopped, printing the port as the first line of
/// its output (what `Child` reads); logs errors only.
public func serveOnFreePort(_ router: Router<BasicRequestContext>, label: String) async throws {
    var logger = Logger(label: label)
    logger.logLevel = .error
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in
                              FileHandle.standardOutput.write(Data("\(channel.localAddress?.port ?? 0)\n".utf8))
                          }, logger: logger)
    try await app.runService()
}
