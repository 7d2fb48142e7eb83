import AsyncHTTPClient
import Foundation
import Logging

extension ProviderSettings {
    /// The adapter that speaks this provider's wire format.
    public func adapter(client: HTTPClient, logger: Logger,
                        environment: [String: String] = ProcessInfo.processInfo.environment) -> any ModelProvider {
        switch kind {
        case .openai: OpenAICompatibleProvider(settings: self, client: client, logger: logger, environment: environment)
        case .anthropic: AnthropicProvider(settings: self, client: client, logger: logger, environment: environment)
        case .gemini: GeminiProvider(settings: self, client: client, logger: logger, environment: environment)
        }
    }
}
