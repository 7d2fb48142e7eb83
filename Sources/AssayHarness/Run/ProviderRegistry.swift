import AssayCore
import AssayProviders
import AsyncHTTPClient
import Logging

/// Builds one adapter per configured provider, all sharing one HTTP client.
public struct ProviderRegistry: Sendable {
    public let providers: [String: any ModelProvider]

    public init(providers: [String: any ModelProvider]) { self.providers = providers }

    public init(config: AssayConfig, client: HTTPClient, logger: Logger) {
        self.providers = config.providers.mapValues { $0.adapter(client: client, logger: logger) }
    }

    public subscript(name: String) -> (any ModelProvider)? { providers[name] }
}
