import AssayCore
import AssayStore
import Foundation

/// Helpers the `prices` subcommands share.
enum PricingCommandSupport {
    static func sources(_ pricing: PricingConfig, named names: [String]) throws -> [PriceSourceSpec] {
        guard !pricing.sources.isEmpty else {
            throw AssayError(.config, "no pricing sources: the config has no 'pricing.sources'",
                             hint: "see docs/pricing.md; 'assay init' writes an example")
        }
        if names.isEmpty { return pricing.sources }
        return try names.map { name in
            guard let source = pricing.sources.first(where: { $0.name == name }) else {
                throw AssayError(.notFound, "no pricing source named '\(name)'",
                                 hint: "configured: \(pricing.sources.map(\.name).joined(separator: ", "))")
            }
            return source
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func date(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    static func printTable(_ rows: [PriceRecord], closed: Bool) {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        print(pad("model", 36) + " " + pad("dimension", 28) + " " + pad("price", 22) + " " + pad("source", 16) + " from" + (closed ? " → to" : ""))
        for row in rows {
            let label = PriceObservation.label(dimension: row.dimension, min: row.tierMinTokens, max: row.tierMaxTokens)
            var line = pad("\(row.provider)/\(row.model)", 36) + " " + pad(label, 28) + " "
                + pad(PriceObservation.formatRate(row.nusdPerMtok, currency: row.currency), 22) + " " + pad(row.source, 16) + " "
                + date(row.effectiveFrom)
            if closed { line += " → " + (row.effectiveTo.map(date) ?? "now") }
            print(line)
        }
    }
}
