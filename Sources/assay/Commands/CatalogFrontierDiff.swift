import AssayCatalog
import AssayCatalogFormat
import AssayCore
import ArgumentParser
import Foundation

extension CatalogCommand {
    struct Frontier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The Pareto frontier of quality vs cost per task, and each model's effort curve.")
        @OptionGroup var location: Location
        @Option(help: "Task kind.") var task: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let document = try CatalogDocument.read(path: try location.jsonPath())
                guard let section = document.section(task) else {
                    throw AssayError(.notFound, "unknown task '\(task)'", hint: "known tasks: \(document.taskNames.joined(separator: ", "))")
                }
                let frontier = section.frontier.compactMap { ref in section.entries.first { $0.model == ref.model && $0.effort == ref.effort } }
                if json {
                    struct Output: Encodable { var task: String; var frontier: [CatalogDocument.Entry]; var effortCurves: [CatalogDocument.EffortCurve] }
                    try printJSON(Output(task: task, frontier: frontier, effortCurves: section.effortCurves), encoder: CatalogDocument.encoder())
                    return
                }
                print("frontier for \(task) (cheapest first; each is better than everything cheaper):")
                for entry in frontier {
                    print("  \((entry.model + " @ " + entry.effort).padding(toLength: 30, withPad: " ", startingAt: 0)) \(Format.percent(entry.quality ?? 0).padding(toLength: 7, withPad: " ", startingAt: 0)) \(entry.costPerTaskUsd)/task")
                }
                print("effort curves (quality, cost per task; saturation = more effort buys no significant quality):")
                for curve in section.effortCurves {
                    let points = curve.points.map { "\($0.effort) \(Format.percent($0.quality)) \(Money(nanoUSD: $0.costPerTaskNusd))" }
                    print("  \(curve.model): \(points.joined(separator: " → ")); saturation \(curve.saturationEffort ?? "—")")
                }
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two catalog files: entries added, removed, moved; picks changed; price changes.")
        @Argument(help: "The older catalog.json.") var old: String
        @Argument(help: "The newer catalog.json.") var new: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let diff = CatalogDiff(old: try CatalogDocument.read(path: old), new: try CatalogDocument.read(path: new))
                if json {
                    try printJSON(diff, encoder: CatalogDocument.encoder())
                    return
                }
                print(diff.text.isEmpty ? "no differences" : diff.text)
            }
        }
    }
}
