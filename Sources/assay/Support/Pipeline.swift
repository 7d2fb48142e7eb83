import AssayCatalog
import AssayCore
import AssayHarness
import AssayProviders
import AssayStore
import AssaySuites
import Foundation
import Logging

/// The steps `run`, `demo` and `catalog build` share.
enum Pipeline {
    static func logger() -> Logger {
        var logger = Logger(label: "assay")
        logger.logLevel = ProcessInfo.processInfo.environment["ASSAY_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }

    /// `body` with an adapter for every configured provider over one HTTP client, which is shut
    /// down afterwards whether `body` returns or throws.
    static func withProviders<T>(_ config: AssayConfig, connections: Int, logger: Logger,
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

    /// Runs `options` with `config`: checks providers are reachable, then runs with progress.
    static func run(config: AssayConfig, database: AssayDatabase, suites: [Suite], options: RunOptions,
                    logger: Logger) async throws -> RunSummary {
        try await withProviders(config, connections: options.concurrency ?? config.concurrency, logger: logger) { registry in
            let runner = try Runner(config: config, database: database, providers: registry, logger: logger)
            let used = Set(try runner.select(models: options.models).map(\.ref.provider))
            try await preflight(registry: registry, config: config, providers: used)
            return try await cancellingOnSignals {
                try await runner.run(suites: suites, options: options, progress: TerminalProgress(label: "run"))
            }
        }
    }

    /// Fails fast, before any spending, when a provider cannot be reached at all or rejects its key.
    static func preflight(registry: ProviderRegistry, config: AssayConfig, providers: Set<String>) async throws {
        for name in providers.sorted() {
            guard let provider = registry[name], let settings = config.providers[name] else { continue }
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

    /// Builds the catalog from the database and writes it; returns the document.
    static func buildCatalog(database: AssayDatabase, directory: String, suitesDirectory: String, margin: Double) throws -> (CatalogDocument, CatalogWriter.Written) {
        // Current suite versions are the files on disk; without them, the most recently run ones.
        let suites = try? SuiteLoader.loadAll(directory: suitesDirectory)
        let hashes = suites.map { Set($0.map(\.contentSHA256)) }
        guard try database.sampleCount() > 0 else {
            throw AssayError(.notFound, "the database \(database.path) has no samples yet",
                             hint: "run 'assay run' (or 'assay demo') first")
        }
        let current = try hashes ?? database.latestSuiteHashes()
        let document = try CatalogBuilder(margin: margin, prices: try database.currentPrices(), currentSuites: current,
                                          prompts: prompts(suites ?? []), contextWindows: try database.contextWindows())
            .build(database: database)
        let written = try CatalogWriter.write(document, to: directory)
        let summary = "{\"tasks\": \(document.tasks.count), \"entries\": \(document.tasks.reduce(0) { $0 + $1.entries.count })}"
        try database.recordCatalogBuild(CatalogBuildRecord(generatedAt: Date(), sha256: document.contentSha256,
                                                           path: written.jsonPath, summary: summary))
        return (document, written)
    }

    /// Every item's prompt as sent to a model, for the router's classifier and item signatures.
    static func prompts(_ suites: [Suite]) -> [ItemRef: String] {
        var prompts: [ItemRef: String] = [:]
        for suite in suites {
            for item in suite.items { prompts[ItemRef(suite: suite.name, item: item.id)] = item.renderedPrompt }
        }
        return prompts
    }

    static func printSummary(_ summary: RunSummary) {
        let budget = summary.budgetNanoUSD.map { " of budget \(Money(nanoUSD: $0))" } ?? ""
        let judge = summary.judgeSpentNanoUSD > 0 ? " (judge \(Money(nanoUSD: summary.judgeSpentNanoUSD)))" : ""
        var line = "run \(summary.runID) \(summary.status): \(summary.completed) samples stored, \(summary.errors) errors, "
            + "\(summary.alreadyStored) already stored, spent \(Money(nanoUSD: summary.spentNanoUSD))\(judge)\(budget), "
            + "\(Money.fixed(summary.elapsedSeconds, digits: 1))s"
        if summary.stoppedByBudget { line += " (stopped: budget reached)" }
        if summary.status == "interrupted" { line += " — rerun the same command to finish; stored samples are not asked again" }
        print(line)
        if !summary.errorKinds.isEmpty {
            print("errors by kind: " + summary.errorKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for skip in summary.skipped {
            print("skipped \(skip.model) @ \(skip.effort): \(skip.reason)")
        }
    }
}
