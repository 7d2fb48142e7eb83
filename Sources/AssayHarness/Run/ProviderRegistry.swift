import AssayCore
import AssayProviders
import AsyncHTTPClient
import Logging

/// Builds one adapter per configured provider, all sharing one HTTP client.
public struct ProviderRegistry: Sendable {
    public let providers: [String: any ModelProvider]

    public init(providers: [String: any ModelProvider]) { self.providers = providers }

    public init(config: AssayConfig, client: HTTPClient, logger: Logger) {
        var providers: [String: any ModelProvider] = [:]
        for (name, settings) in config.providers {
            switch settings.kind {
            case .openai: providers[name] = OpenAICompatibleProvider(settings: settings, client: client, logger: logger)
            case .anthropic: providers[name] = AnthropicProvider(settings: settings, client: client, logger: logger)
            case .gemini: providers[name] = GeminiProvider(settings: settings, client: client, logger: logger)
            }
        }
        self.providers = providers
    }

    public subscript(name: String) -> (any ModelProvider)? { providers[name] }
}
