import AssayCore
import AssayProviders
import AssayStore
import Foundation
import Logging

/// `assay models discover`: lists every configured provider's models, records what is new and
/// what disappeared, records prices a listing states (OpenRouter's), and queues the new models
/// the provider's `discover` rule includes, so the next run measures them.
package struct ModelDiscovery: Sendable {
    package struct ProviderReport: Sendable, Codable {
        package var provider: String
        package var listed: Int
        package var new: [String]
        package var gone: [String]
        /// Listed models the `discover` rule queues that have no samples yet.
        package var queued: [String]
        /// Why the listing failed, if it did (the other providers are still discovered).
        package var error: String?
    }

    package struct Report: Sendable, Codable {
        package var providers: [ProviderReport]
        package var newModels: Int { providers.reduce(0) { $0 + $1.new.count } }

        enum CodingKeys: String, CodingKey { case providers }
    }

    package let config: AssayConfig
    package let database: AssayDatabase
    package let providers: ProviderRegistry
    package let logger: Logger

    package init(config: AssayConfig, database: AssayDatabase, providers: ProviderRegistry, logger: Logger) {
        self.config = config
        self.database = database
        self.providers = providers
        self.logger = logger
    }

    /// Lists and records every provider; returns the report and the model entries to measure.
    package func discover() async throws -> (report: Report, queued: [AssayConfig.ModelEntry]) {
        var reports: [ProviderReport] = []
        var queued: [AssayConfig.ModelEntry] = []
        for name in config.providers.keys.sorted() {
            guard let provider = providers[name] else { continue }
            let listed: [ListedModel]
            do { listed = try await provider.listedModels() } catch {
                logger.warning("cannot list models", metadata: ["provider.name": "\(name)", "provider.error": "\(error)"])
                reports.append(ProviderReport(provider: name, listed: 0, new: [], gone: [], queued: [], error: error.description))
                continue
            }
            let change = try database.recordListing(provider: name, models: listed.map(Self.facts))
            let configuredPrices = Set(config.models.filter { $0.price?.isEmpty == false }.map(\.ref))
            for model in listed where !configuredPrices.contains(ModelRef(provider: name, model: model.id)) {
                // A configured price wins (the run records it); a listing's price is kept for the others.
                if let price = model.price, !price.isEmpty {
                    try database.recordPrices(price, for: ModelRef(provider: name, model: model.id), source: "listing:\(name)")
                }
            }
            var queuedHere: [String] = []
            if let rule = config.discovery[name] {
                let configured = Set(config.models.map(\.ref))
                // Every included model is measured (a run never repeats stored samples, so one that
                // is fully measured costs nothing); the report names those with no samples yet.
                for model in listed where rule.queues(model.id) {
                    let ref = ModelRef(provider: name, model: model.id)
                    if configured.contains(ref) { continue }
                    queued.append(AssayConfig.ModelEntry(ref: ref, efforts: rule.efforts))
                    if try !database.hasSamples(ref) { queuedHere.append(model.id) }
                }
            }
            reports.append(ProviderReport(provider: name, listed: listed.count, new: change.new.sorted(), gone: change.gone.sorted(),
                                          queued: queuedHere.sorted(), error: nil))
        }
        return (Report(providers: reports), queued)
    }

    static func facts(_ model: ListedModel) -> AssayDatabase.ListedModelFacts {
        var capabilities: [String: JSONValue] = [:]
        if let parameters = model.supportedParameters { capabilities["supported_parameters"] = .array(parameters.map { .string($0) }) }
        return .init(name: model.id, created: model.created, contextWindow: model.contextWindow,
                     capabilitiesJSON: JSONValue.object(capabilities).jsonText)
    }
}
