import AssayCore
import AssayStore
import Foundation

/// Scrapes configured sources: fetches (conditionally) or reads the file, extracts, and applies
/// the result to the price history, quarantining what looks wrong.
package struct PriceScraper: Sendable {
    package var database: AssayDatabase
    package var fetcher: PageFetcher
    package var config: PricingConfig

    package init(database: AssayDatabase, config: PricingConfig, fetcher: PageFetcher = PageFetcher()) {
        self.database = database
        self.config = config
        self.fetcher = fetcher
    }

    /// What scraping one source did.
    package struct Report: Sendable {
        package var source: String
        package var location: String
        /// 304, or the same bytes read with the same extractor: nothing was parsed.
        package var unchangedContent = false
        package var read = SourceRead()
        package var outcome = AssayDatabase.ScrapeOutcome()
        package var elapsedSeconds = 0.0
    }

    /// Scrapes `source`. `force` ignores the stored validators and re-reads the page.
    ///
    /// libcurl blocks its thread, so the work runs on a Dispatch thread rather than one of Swift's
    /// few cooperative threads (which may be serving the page, as the simulator does in `demo`).
    package func scrape(_ source: PriceSourceSpec, force: Bool = false, now: Date = Date()) async throws -> Report {
        try await Blocking.run { try scrapeNow(source, force: force, now: now) }
    }

    func scrapeNow(_ source: PriceSourceSpec, force: Bool, now: Date) throws -> Report {
        let started = ContinuousClock.now
        var report = Report(source: source.name, location: source.location)
        let reader = try SourceReader(source)
        let bytes: [UInt8]
        var fetch = PriceFetchRecord(source: source.name, url: source.location, fetchedAt: now, httpStatus: 200,
                                     extractorSha256: reader.fingerprint, outcome: "applied")
        let previous = try database.lastAcceptedFetch(source: source.name, url: source.location)
        let reusable = force ? nil : previous.flatMap { $0.extractorSha256 == reader.fingerprint ? $0 : nil }
        if let url = source.url {
            let validator = reusable.map { PageFetcher.Validator(etag: $0.etag, lastModified: $0.lastModified) }
            let page = try fetcher.fetch(url, validator: validator)
            fetch.httpStatus = page.status
            fetch.etag = page.validator.etag
            fetch.lastModified = page.validator.lastModified
            bytes = page.body
            if page.notModified {
                fetch.bodySha256 = reusable?.bodySha256
                fetch.outcome = "unchanged"
                report.unchangedContent = true
                try database.recordFetch(fetch)
                report.elapsedSeconds = started.secondsSince
                return report
            }
        } else if let file = source.file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PricingError.file(file, "no such file or not readable (\(source.declaredAt) pricing source '\(source.name)')")
            }
            bytes = Array(data)
        } else {
            throw AssayError(.config, "\(source.declaredAt): pricing source '\(source.name)' has neither url nor file")
        }
        fetch.bodySha256 = sha256Hex(bytes)
        if let reusable, reusable.bodySha256 == fetch.bodySha256 {
            fetch.outcome = "unchanged"
            report.unchangedContent = true
            try database.recordFetch(fetch)
            report.elapsedSeconds = started.secondsSince
            return report
        }
        report.read = try reader.read(bytes, location: source.location)
        let scrape = PriceScrape(source: source.name, url: source.location, fetchedAt: now,
                                 observations: report.read.observations, layoutProblem: report.read.layoutProblem,
                                 warnings: report.read.warnings)
        report.outcome = try database.applyScrape(scrape, maxChangeFactor: source.maxChangeFactor ?? config.maxChangeFactor)
        try database.recordModelInfo(report.read.models, at: now)
        fetch.outcome = report.outcome.quarantined.isEmpty ? "applied" : "quarantined"
        try database.recordFetch(fetch)
        report.elapsedSeconds = started.secondsSince
        return report
    }
}

/// Reads one source's bytes with the reader its kind and extractor call for.
struct SourceReader {
    enum Kind {
        case html(MultiExtractor)
        case openRouter(OpenRouterSource)
        case liteLLM(LiteLLMSource)
    }

    var kind: Kind
    /// Identifies the reader's configuration: a changed extractor re-reads an unchanged page.
    var fingerprint: String

    init(_ source: PriceSourceSpec) throws {
        switch source.kind {
        case .html:
            let specs: [HTMLExtractorSpec]
            var provider = source.provider
            switch source.extractor {
            case .builtIn(let name)?:
                guard let entry = BuiltInExtractors.all[name] else {
                    throw AssayError(.config, "\(source.declaredAt): pricing source '\(source.name)': unknown built-in extractor '\(name)'",
                                     hint: "built-in extractors: \(BuiltInExtractors.names.joined(separator: ", ")); or declare one inline")
                }
                specs = entry.specs
                provider = provider ?? entry.provider
            case .inline(let inline)?:
                specs = [inline]
            case nil:
                throw AssayError(.config, "\(source.declaredAt): pricing source '\(source.name)' is html but has no extractor")
            }
            guard let provider else {
                throw AssayError(.config, "\(source.declaredAt): pricing source '\(source.name)' needs 'provider' (the part before / in model ids)")
            }
            kind = .html(MultiExtractor(extractors: specs.map { HTMLExtractor(spec: $0, provider: provider) }))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            fingerprint = sha256Hex(Array((try? encoder.encode(specs)) ?? Data()) + Array(provider.utf8))
        case .openrouter:
            kind = .openRouter(OpenRouterSource(provider: source.provider ?? "openrouter"))
            fingerprint = "openrouter:" + (source.provider ?? "")
        case .litellm:
            kind = .liteLLM(LiteLLMSource(provider: source.provider))
            fingerprint = "litellm:" + (source.provider ?? "")
        }
    }

    func read(_ bytes: [UInt8], location: String) throws -> SourceRead {
        switch kind {
        case .html(let extractor): try extractor.extract(html: bytes, url: location)
        case .openRouter(let reader): reader.read(json: bytes, location: location)
        case .liteLLM(let reader): reader.read(json: bytes, location: location)
        }
    }
}

extension ContinuousClock.Instant {
    var secondsSince: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Runs blocking work (libcurl transfers) on a Dispatch thread.
package enum Blocking {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
