import AssayCore
import AssayHarness
import AssayOTel
import AssayPostgres
import AssayProviders
import AssayRouter
import AssayServer
import AssaySimulator
import AssayStore
import AssaySuites
import AssayTraffic
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "The routing proxy: OpenAI- and Anthropic-compatible APIs routed by the catalog.",
        discussion: """
            POST /v1/chat/completions (OpenAI) or POST /v1/messages (Anthropic) with model "auto" or "auto:<task>" goes to the model+effort the catalog \
            says is best value (the x-assay-task header names a task too); a concrete provider/model passes \
            through unrouted. On an upstream failure the decision's fallbacks are tried in order. The \
            x-assay-route response header explains the choice. POST /v1/route returns the decision only; \
            GET /v1/models lists the auto variants and the catalog's models; GET /healthz; GET /metrics (Prometheus). catalog.json is \
            re-read when it changes (a malformed one is rejected and the old one kept). Providers and keys come \
            from the config. With serve.keys_file set, every /v1 request needs a client key ('assay keys add') \
            and is held to its rate limit. With postgres: in the config, the traffic log, the client keys and each key's \
            counters live in PostgreSQL, shared by every replica behind a load balancer (docs/deploy.md). A conversation \
            (x-assay-session header, else its opening messages) stays on its model when the prompt cache saves more than \
            switching would. With a cascade plan \
            (serve.cascade.plan or --cascade-plan), 'x-assay-tradeoff: cascade' sends a whole (not streamed) \
            answer through the task's worker, check and advisor (docs/cascades.md). Stops on Ctrl-C or \
            SIGTERM after the requests in flight finish (docs/server.md). With a telemetry: section (or \
            OTEL_EXPORTER_OTLP_ENDPOINT) each routed request is traced over OTLP/HTTP: GenAI attributes and the \
            routing decision, never the prompt (docs/deploy.md, Telemetry).
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Catalog folder (default: 'catalog' in the config).") var catalog: String?
    @Flag(help: "Serve the simulated zoo that 'assay demo' measured: the simulator starts in-process as the upstream, no config or API keys needed; the baseline for savings is the zoo's dearest model.")
    var demo = false
    @Option(help: "The cascade plan ('assay cascade plan --json' output) whose per-task cascades 'x-assay-tradeoff: cascade' runs; overrides serve.cascade.plan (docs/cascades.md).")
    var cascadePlan: String?

    func run() async throws {
        try await reportingErrors {
            guard demo else { return try await serve(config: try global.loadConfig(required: true)) }
            let zoo = try Zoo.builtIn()
            let engine = SimulatorEngine(zoo: zoo, suites: try SuiteLoader.loadAll(directory: "suites"))
            try await SimulatorHost.withRunning(engine: engine, configuration: SimulatorConfiguration(port: 0), logger: Pipeline.logger()) { port in
                let dearest = zoo.models.max { $0.price.rate(.output) < $1.price.rate(.output) }
                var text = DemoConfig.text(provider: zoo.provider, port: port,
                                           models: zoo.models.map { .init(id: $0.id, efforts: $0.efforts.keys.sorted(), price: $0.price) },
                                           database: "results/assay.sqlite", suites: "suites", catalog: "catalog", concurrency: 8,
                                           judge: try demoJudge(zoo))
                if let dearest { text += "serve:\n  baseline: \(zoo.provider)/\(dearest.id)\n" }
                let configPath = NSTemporaryDirectory() + "assay-serve-demo-\(ProcessInfo.processInfo.processIdentifier).yaml"
                try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
                defer { try? FileManager.default.removeItem(atPath: configPath) }
                printError("serve --demo: the simulated zoo on 127.0.0.1:\(port) is the upstream; savings are counted against \(zoo.provider)/\(dearest?.id ?? "?")")
                try await serve(config: try ConfigLoader.load(file: configPath))
            }
        }
    }

    /// The demo's judge (a zoo model id): the one the cascade plan's judge checks were measured
    /// with, else the zoo's largest model, as `assay demo` grades with.
    func demoJudge(_ zoo: Zoo) throws -> String? {
        let measured = try (cascadePlan.map { try CascadeRoutes(path: $0) })?.measuredJudges.keys.first
        if let measured, measured.provider == zoo.provider { return measured.model }
        return zoo.models.last?.id
    }

    func serve(config: AssayConfig) async throws {
        do {
            let path = (catalog ?? config.catalog) + "/catalog.json"
            let logger = Pipeline.logger()
            let telemetry = try telemetrySettings(config)
            let follower = try await catalogFollower(config.serve, path: path, logger: logger)
            let holder: RouterHolder
            do { holder = try RouterHolder(path: path, options: Self.routerOptions(config.serve.unknownPrompts)) } catch {
                throw AssayError(.catalog, "cannot serve from \(path): \(error)", hint: "run 'assay catalog build' (or 'assay demo') first")
            }
            if let postgres = config.postgres {
                // Replicas: the traffic log, the client keys and their counters live in PostgreSQL.
                return try await PostgresStore.withOpened(postgres, logger: logger) { store in
                    let limits = SharedLimits(store: store, logger: logger)
                    try await limits.start()
                    let trafficStore = PostgresTrafficStore(store: store)
                    try await trafficStore.migrate()
                    try await serve(config: config, path: path, holder: holder, follower: follower, telemetry: telemetry,
                                    logger: logger, keys: ClientKeyGate(shared: limits, defaultRPM: config.serve.rpm), limits: limits, trafficStore: trafficStore)
                }
            }
            try await serve(config: config, path: path, holder: holder, follower: follower, telemetry: telemetry, logger: logger, keys: nil, limits: nil, trafficStore: nil)
        }
    }

    /// Serves until SIGINT or SIGTERM; `keys`, `limits` and `trafficStore` are the shared store's (nil: local files).
    func serve(config: AssayConfig, path: String, holder: RouterHolder, follower: CatalogFollower?, telemetry telemetrySettings: TelemetrySettings?,
               logger: Logger, keys: ClientKeyGate?,
               limits: SharedLimits?, trafficStore: (any TrafficStore)?) async throws {
        do {
            var settings = try serverSettings(config)
            if let keys { settings.keys = keys }
            let traffic = try trafficLog(config.serve.traffic, store: trafficStore, logger: logger)
            settings.traffic = traffic
            settings.capture = .init(sampleRate: config.serve.traffic.captureSampleRate, maxBytes: config.serve.traffic.captureMaxBytes)
            let telemetry = try telemetrySettings.flatMap { try RequestTelemetry.make($0, logger: logger) }
            settings.telemetry = telemetry?.telemetry
            if settings.keys == nil && !["127.0.0.1", "localhost", "::1"].contains(self.host) {
                logger.warning("serving beyond loopback without client keys: anyone who reaches \(self.host):\(self.port) spends your provider keys; set serve.keys_file")
            }
            if settings.browserGuard.allowedHosts.contains("*") {
                logger.warning("any Host header is accepted (wildcard bind without serve.allowed_hosts): name the server's hosts to stop DNS rebinding (docs/security.md)")
            }
            let (host, port, tasks) = (self.host, self.port, holder.snapshot.taskNames.count)
            try await ProviderRegistry.using(config, connections: 64, logger: logger) { registry in
                let (app, watcher) = buildServerApplication(holder: holder, providers: registry.providers, host: host, port: port,
                                                            settings: settings, logger: logger) { port in
                    FileHandle.standardOutput.write(Data("assay serving on http://\(host):\(port)/v1 (\(tasks) tasks from \(path))\n".utf8))
                }
                // Shut down in reverse: the watcher, then the server (draining requests in flight), then the shared limits,
                // the telemetry export (sending the last spans), then the traffic log (writing the rest).
                var services: [any Service] = []
                if let traffic { services.append(traffic) }
                if let telemetry { services.append(telemetry.service) }
                if let limits { services.append(limits) }
                services += [app, watcher]
                if let follower { services.append(follower) }
                try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger).run()
            }
        }
    }

    /// With `serve.catalog_url`, a follower that has fetched the catalog once into `path`: a
    /// failed first fetch is an error only when there is no local catalog to start from.
    func catalogFollower(_ serve: AssayConfig.Serve, path: String, logger: Logger) async throws -> CatalogFollower? {
        guard let url = serve.catalogURL else { return nil }
        var token: String?
        if let name = serve.catalogTokenEnv {
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw AssayError(.config, "serve.catalog_token_env names \(name), which is not set", hint: "export \(name)=<token>")
            }
            token = value
        }
        let follower = CatalogFollower(url: url, path: path, options: Self.routerOptions(serve.unknownPrompts), token: token,
                                       interval: .milliseconds(Int64(serve.catalogPollSeconds * 1000)), logger: logger)
        do {
            try await follower.check()
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                throw AssayError(.provider, error.message, hint: "check serve.catalog_url, or put a catalog at \(path) to start from")
            }
            logger.warning("starting from the local catalog: \(error.message)")
        }
        return follower
    }

    /// The router's options from `serve.unknown_prompts` (the parser checked the names).
    static func routerOptions(_ unknown: AssayConfig.Serve.UnknownPrompts) -> RouterOptions {
        let rule: UnknownPromptPolicy.Rule = switch unknown.policy {
        case "default_entry": .defaultEntry(unknown.entry ?? "")
        case "robust": .robust
        default: .mix
        }
        var options = RouterOptions()
        options.unknownPrompts = UnknownPromptPolicy(rule: rule, confidenceBelow: unknown.confidenceBelow, similarityBelow: unknown.similarityBelow)
        return options
    }

    /// The traffic log `serve.traffic` asks for, or nil when it is off.
    func trafficLog(_ traffic: AssayConfig.Traffic, store: (any TrafficStore)?, logger: Logger) throws -> TrafficLog? {
        guard traffic.enabled else { return nil }
        let store = try store ?? TrafficDatabase(path: traffic.database)
        return TrafficLog(store: store, settings: .init(queueCapacity: traffic.queue, maxAgeDays: traffic.maxAgeDays, maxRows: traffic.maxRows),
                          logger: logger)
    }

    /// The names `Host` may carry when `serve.allowed_hosts` is not set: the loopback names, and
    /// the bound address itself; anything for a wildcard bind (the operator names the hosts, or a
    /// proxy in front checks them: docs/security.md).
    static func defaultHosts(binding host: String) -> Set<String> {
        if ["0.0.0.0", "::", "*"].contains(host) { return ["*"] }
        return BrowserGuard.loopbackNames.union([host.lowercased()])
    }

    /// The `serve:` section made concrete: the keys file loaded, today's prices (the config's,
    /// overlaid by the database's when it exists) for the cost and savings counters.
    func serverSettings(_ config: AssayConfig) throws -> ServerSettings {
        var settings = ServerSettings(baseline: config.serve.baseline, sessionCapacity: config.serve.sessions,
                                      deadline: .seconds(config.serve.deadlineSeconds), attemptTimeout: .seconds(config.serve.attemptTimeoutSeconds))
        if let file = config.serve.keysFile, config.postgres == nil {
            do { settings.keys = try ClientKeyGate(path: file, defaultRPM: config.serve.rpm) } catch {
                throw AssayError(.config, error.description, hint: "fix or remove the file; 'assay keys add NAME' writes a new one")
            }
        }
        for model in config.models { if let price = model.price { settings.prices[model.ref.description] = price } }
        let serve = config.serve
        settings.passthrough = PassthroughPolicy(models: Set(config.models.map(\.ref.description)), patterns: serve.passthrough)
        settings.maxTokens = serve.maxTokens
        settings.aliases = ModelAliases(serve.aliases.map { ModelAliases.Rule(pattern: $0.match, target: $0.route) })
        settings.browserGuard = BrowserGuard(allowedHosts: serve.allowedHosts.map { Set($0) } ?? Self.defaultHosts(binding: host),
                                             allowedOrigins: Set(serve.allowedOrigins))
        settings.load = LoadLimits(maxConnections: serve.maxConnections, maxInFlight: serve.maxInFlight,
                                   idleTimeout: .seconds(serve.idleTimeoutSeconds), bodyTimeout: .seconds(serve.bodyTimeoutSeconds))
        let database = global.databasePath(config)
        if FileManager.default.fileExists(atPath: database) {
            let store = try AssayDatabase(path: database)
            for (ref, sheet) in try store.currentPrices() { settings.prices[ref.description] = sheet }
            settings.modelsWithoutTools = Set(try store.modelsWithoutTools().map(\.description))
        }
        if let plan = cascadePlan ?? serve.cascadePlan {
            let routes = try CascadeRoutes(path: plan)
            do { try routes.checkJudge(config.judge) } catch {
                throw AssayError(.config, "the cascade plan \(plan): \(error.message)",
                                 hint: "set 'judge:' in assay.yaml to the judge the plan measured ('assay regrade --judge-check --judge MODEL' measures another), then write the plan again")
            }
            settings.cascades = routes
            settings.cascadeByDefault = serve.cascadeDefault
            settings.cascadeJudge = config.judge
        }
        if let baseline = config.serve.baseline, settings.prices[baseline.description] == nil {
            throw AssayError(.config, "serve.baseline '\(baseline)' has no price", hint: "give it a price under 'models' or scrape one ('assay prices scrape')")
        }
        return settings
    }
}
