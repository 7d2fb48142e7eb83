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
}
