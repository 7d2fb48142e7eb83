import AssayCore
import AssayPricing
import AssayStore
import ArgumentParser
import Foundation

struct PricesShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The prices in force, per model and source, and what awaits approval.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A model (provider/model, or the model part alone).") var model: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let database = try AssayDatabase(path: global.databasePath(config))
            var rows = try database.openPrices()
            var pending = try database.pendingQuarantines()
            if let model {
                // provider/model exactly when it is known, else the model part under any provider
                let exact = rows.filter { "\($0.provider)/\($0.model)" == model }
                rows = exact.isEmpty ? rows.filter { $0.model == model } : exact
                let held = pending.filter { "\($0.provider ?? "")/\($0.model ?? "")" == model }
                pending = held.isEmpty ? pending.filter { $0.model == model } : held
            }
            if json {
                struct Output: Encodable { var prices: [PriceRecord]; var quarantined: [PriceQuarantineRecord] }
                try printJSON(Output(prices: rows, quarantined: pending), encoder: PricingCommandSupport.encoder)
                return
            }
            if rows.isEmpty, let model { throw AssayError(.notFound, "no price in force for '\(model)'", hint: "'assay prices show' lists every model") }
            PricingCommandSupport.printTable(rows, closed: false)
            for quarantine in pending { print("quarantined #\(quarantine.id ?? 0) [\(quarantine.kind)] \(quarantine.message)") }
        }
    }
}

struct PricesHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Every price ever recorded for a model, oldest first, and its quarantines.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A model (provider/model, or the model part alone).") var model: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let history = try AssayDatabase(path: global.databasePath(config)).priceHistory(model: model)
            if json {
                struct Output: Encodable { var prices: [PriceRecord]; var quarantines: [PriceQuarantineRecord] }
                try printJSON(Output(prices: history.prices, quarantines: history.quarantines), encoder: PricingCommandSupport.encoder)
                return
            }
            guard !history.prices.isEmpty || !history.quarantines.isEmpty else {
                throw AssayError(.notFound, "no price was ever recorded for '\(model)'", hint: "'assay prices show' lists every model")
            }
            PricingCommandSupport.printTable(history.prices, closed: true)
            for quarantine in history.quarantines {
                print("quarantine #\(quarantine.id ?? 0) \(quarantine.status) [\(quarantine.kind)] \(PricingCommandSupport.date(quarantine.fetchedAt)): \(quarantine.message)")
            }
        }
    }
}

struct PricesConflicts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Models whose sources disagree about the price in force.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let conflicts = PriceConflicts.find(in: try AssayDatabase(path: global.databasePath(config)).openPrices())
            if json {
                try printJSON(conflicts, encoder: PricingCommandSupport.encoder)
                return
            }
            if conflicts.isEmpty { print("no conflicts: every model priced by several sources has the same price in each") }
            for conflict in conflicts {
                let tier = conflict.tier.isEmpty ? "" : " \(conflict.tier)"
                print("\(conflict.model) \(conflict.dimension)\(tier): " + conflict.prices.map { "\($0.source) \($0.price)" }.joined(separator: " vs "))
            }
        }
    }
}
