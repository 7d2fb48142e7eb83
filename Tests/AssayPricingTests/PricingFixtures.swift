import AssayCore
import AssayStore
import AssayTestSupport
import Foundation

/// The pages and maps written for these tests (Tests/AssayPricingTests/Fixtures).
enum PricingFixtures {
    static var directory: String { Fixtures.repoRoot + "/Tests/AssayPricingTests/Fixtures" }

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(name)) else { throw FixtureMissing(name: name) }
        return Array(data)
    }

    struct FixtureMissing: Error { var name: String }

    /// A fresh database file of its own.
    static func database(_ label: String = "assay-prices") throws -> AssayDatabase {
        try AssayDatabase(path: try Fixtures.temporaryDirectory(label) + "/assay.sqlite")
    }

    /// A scrape of acme's page reading `prices` (model, dimension, nano-USD per MTok) at `seconds`.
    static func scrape(_ prices: [(ModelRef, String, Int64)], at seconds: Double, source: String = "acme-page",
                       layout: String? = nil) -> PriceScrape {
        PriceScrape(source: source, url: "https://acme.example/pricing", fetchedAt: Date(timeIntervalSince1970: seconds),
                    observations: prices.map { PriceObservation(model: $0.0, dimension: $0.1, nanosPerMTok: $0.2, excerptSha256: "abc") },
                    layoutProblem: layout)
    }
}
