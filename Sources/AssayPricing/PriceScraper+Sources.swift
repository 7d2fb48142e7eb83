import AssayCore
import AssayStore

/// Scraping several sources in turn: what `prices scrape`, `nightly` and `demo` share.
extension PriceScraper {
    /// One source's scrape, and what of it awaits approval.
    package struct Scraped: Sendable {
        package var report: Report
        /// Everything of the source held in quarantine now, this scrape's and earlier ones.
        package var pending: [PriceQuarantineRecord]
    }

    /// One source and what scraping it gave.
    package struct SourceResult: Sendable {
        package var source: PriceSourceSpec
        package var result: Result<Scraped, any Error>
    }

    /// The night's count over every source.
    package struct Tally: Sendable, Equatable {
        /// Prices opened or changed.
        package var changed = 0
        /// Changes held in quarantine.
        package var quarantined = 0
        /// `source: error` for each source that failed.
        package var errors: [String] = []

        package init() {}
    }

    /// Scrapes `sources` in order, handing each result to `each` as it comes; a failed source does
    /// not stop the others unless `each` throws.
    @discardableResult
    package func scrape(_ sources: [PriceSourceSpec], force: Bool = false,
                       each: (SourceResult) throws -> Void) async rethrows -> Tally {
        var tally = Tally()
        for source in sources {
            let result: Result<Scraped, any Error>
            do {
                let report = try await scrape(source, force: force)
                result = .success(Scraped(report: report, pending: try database.pendingQuarantines(source: source.name)))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success(let scraped):
                tally.changed += scraped.report.outcome.opened.count
                tally.quarantined += scraped.pending.count
            case .failure(let error):
                tally.errors.append("\(source.name): \(error)")
            }
            try each(SourceResult(source: source, result: result))
        }
        return tally
    }

    /// Scrapes `sources` in order; a failed source is counted and does not stop the others.
    package func scrape(_ sources: [PriceSourceSpec], force: Bool = false) async -> Tally {
        await scrape(sources, force: force) { _ in }
    }
}
