import AssayCatalogFormat
import AssayCore
import Foundation

/// An immutable, shareable routing table built from one catalog: load it once per catalog file,
/// call `decide(_:)` per request from any thread, and swap in a new snapshot when the file
/// changes (requests in flight keep the one they started with).
public final class RouterSnapshot: Sendable {
    public let catalogSha256: String
    public let generatedAt: String
    /// The `cheapest` objective's quality margin.
    public let margin: Double
    public let options: RouterOptions
    let spec: FeatureSpec
    /// Smoothed idf per bucket: what a request with its task named reads (64 KB at the default
    /// 16,384 buckets, which stays in cache better than `rows`).
    let idf: [Float]
    /// Each bucket's idf and the classifier's log-likelihoods, one cache line per bucket: what a
    /// request whose task is classified reads.
    let rows: FeatureRows
    let classifier: TaskClassifier
    let tables: [TaskTable]
    let tableIndex: [String: Int]
    /// Entry names in the `robust` unknown-prompt policy's order (`robustOrder(tables:margin:)`).
    let robustOrder: [String]
    /// Some task uses the learned estimator: a request then computes its `PromptShape`.
    let anyLearned: Bool
    /// The catalog's recalibration maps, applied to every estimate (unless `RouterOptions.recalibrate` is off).
    let calibration: Calibration

    /// Builds the tables from a catalog with a router section (schema 3).
    public init(document: CatalogDocument, options: RouterOptions = RouterOptions()) throws(RouterLoadError) {
        guard let router = document.router else {
            throw RouterLoadError("the catalog has no router section; rebuild it with 'assay catalog build' from the suites")
        }
        let spec = router.features
        guard spec.buckets > 0, spec.buckets <= 1 << 24 else { throw RouterLoadError("router.features.buckets is out of range") }
        self.catalogSha256 = document.contentSha256
        self.generatedAt = document.generatedAt
        self.margin = options.margin ?? document.margin
        self.options = options
        self.spec = spec
        var idf = [Float](repeating: Float(RouterTraining.inverseFrequency(documentFrequency: 0, documents: router.documents)),
                          count: spec.buckets)
        for (bucket, frequency) in zip(router.documentFrequency.buckets, router.documentFrequency.values) where bucket < spec.buckets {
            idf[bucket] = Float(RouterTraining.inverseFrequency(documentFrequency: frequency, documents: router.documents))
        }
        self.idf = idf
        classifier = TaskClassifier(router.classifier)
        rows = FeatureRows(idf: idf, logLikelihood: TaskClassifier.logLikelihood(router.classifier, buckets: spec.buckets),
                           tasks: classifier.tasks.count)
        let savings = Dictionary(router.prices.map { ($0.model, $0.inputNusdPerMtok - $0.cachedInputNusdPerMtok) },
                                 uniquingKeysWith: { first, _ in first })
        let routerTasks = Dictionary(router.tasks.map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })
        let contextWindows = Dictionary((router.contextWindows ?? []).map { ($0.model, $0.contextTokens) },
                                        uniquingKeysWith: { first, _ in first })
        let entryNames = Set(document.tasks.flatMap { $0.entries.filter { $0.quality != nil }.map(\.name) }).sorted()
        let entryIndex = Dictionary(uniqueKeysWithValues: entryNames.enumerated().map { ($1, $0) })
        // A task with no pick because nothing clears the quality floor is not routed to: the
        // router treats it as a task it does not know.
        for task in router.tasks {
            guard let model = task.estimator else { continue }
            guard model.weights.count == PromptShape.count else {
                throw RouterLoadError("router.tasks['\(task.task)'].estimator has \(model.weights.count) weights; this router reads "
                                      + "\(PromptShape.count) prompt features: rebuild the catalog with 'assay catalog build'")
            }
            let numbers = [model.bias] + model.weights + model.entries.flatMap { [$0.intercept, $0.slope] }
            guard numbers.allSatisfy(\.isFinite) else {
                throw RouterLoadError("router.tasks['\(task.task)'].estimator holds a number that is not finite: rebuild the catalog")
            }
        }
        calibration = try Calibration(router.recalibration ?? [], enabled: options.recalibrate)
        let shipped = Set(router.estimator?.tasks ?? [])
        let tables = document.tasks.filter { $0.pick != nil || $0.noPickReason == nil }.map { section in
            let model = routerTasks[section.task]?.estimator
            let use = switch options.estimator {
            case .catalog: shipped.contains(section.task)
            case .nearestItems: false
            case .promptLogistic: true
            }
            return TaskTable(section: section, routerTask: routerTasks[section.task], buckets: spec.buckets, savings: savings,
                             contextWindows: contextWindows, entryIndex: entryIndex, learned: use ? model : nil)
        }
        self.tables = tables
        anyLearned = tables.contains { $0.learned != nil }
        tableIndex = Dictionary(tables.enumerated().map { ($1.task, $0) }, uniquingKeysWith: { first, _ in first })
        robustOrder = Self.robustOrder(tables: tables, margin: margin)
        if case .defaultEntry(let name) = options.unknownPrompts.rule, !entryIndex.keys.contains(name) {
            throw RouterLoadError("unknown_prompts.entry '\(name)' is not an entry of this catalog (provider/model@effort with a quality); "
                                  + "entries: \(entryNames.prefix(12).joined(separator: ", "))\(entryNames.count > 12 ? ", …" : "")")
        }
    }

    /// Decodes `catalog.json` bytes (no file access: the caller reads the file).
    public convenience init(data: Data, options: RouterOptions = RouterOptions()) throws(RouterLoadError) {
        let document: CatalogDocument
        do { document = try CatalogDocument.decoder().decode(CatalogDocument.self, from: data) } catch {
            throw RouterLoadError("not a valid catalog: \(error)")
        }
        guard document.schemaVersion == CatalogDocument.currentSchemaVersion else {
            throw RouterLoadError("catalog schema version \(document.schemaVersion); the router reads version \(CatalogDocument.currentSchemaVersion)")
        }
        try self.init(document: document, options: options)
    }

    /// The tasks a request can be routed for (`auto:<task>`).
    package var taskNames: [String] { tables.map(\.task) }

    /// Every model some task can route to, sorted.
    public var models: [String] { Array(Set(tables.flatMap { $0.candidates.map(\.model) })).sorted() }
}

/// A catalog the router cannot use.
public struct RouterLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
