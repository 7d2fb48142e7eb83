import AsyncHTTPClient
import Foundation
import Logging

/// An adapter that reaches its provider over HTTP through the shared `ProviderTransport`: the
/// construction and the settings every such adapter has, written once.
public protocol HTTPModelProvider: ModelProvider {
    var transport: ProviderTransport { get }
    var environment: [String: String] { get }
    init(transport: ProviderTransport, environment: [String: String])
}

extension HTTPModelProvider {
    public init(settings: ProviderSettings, client: HTTPClient, logger: Logger,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(transport: ProviderTransport(settings: settings, client: client, logger: logger), environment: environment)
    }

    public var settings: ProviderSettings { transport.settings }
    public var name: String { transport.settings.name }
}
