import AssayCore
import AssayProviders
import Logging

extension ProviderRegistry {
    /// `body` with an adapter for every configured provider over one HTTP client, which is shut
    /// down afterwards whether `body` returns or throws.
    package static func using<T>(_ config: AssayConfig, connections: Int, logger: Logger,
                                _ body: (ProviderRegistry) async throws -> T) async throws -> T {
        let client = HTTPClientFactory.make(maxConnectionsPerHost: connections)
        do {
            let result = try await body(ProviderRegistry(config: config, client: client, logger: logger))
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Fails fast, before any spending, when a provider cannot be reached at all or rejects its key.
    package func preflight(config: AssayConfig, providers names: Set<String>) async throws {
        for name in names.sorted() {
            guard let provider = self[name], let settings = config.providers[name] else { continue }
            do {
                _ = try await provider.listModels()
            } catch {
                switch error.kind {
                case .unreachable, .timeout:
                    throw AssayError(.provider, "provider '\(name)' is unreachable at \(settings.baseURL): \(error.message)",
                                     hint: "check base_url in the config and that the service is running")
                case .auth:
                    throw AssayError(.provider, "provider '\(name)': \(error.message)",
                                     hint: settings.apiKeyEnv.map { "check the key in $\($0)" } ?? "set api_key_env in the config")
                default:
                    continue // some compatible servers have no model list; the run itself will tell
                }
            }
        }
    }
}
